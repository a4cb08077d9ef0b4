/* One spec: front matter, findings, compute <-> report pairing, entry cards, and its sanitized Markdown. */

function findingItem(f) {
  return h(
    'li',
    { class: 'finding ' + f.severity },
    h('code', null, f.file + (f.line ? ':' + f.line : '')),
    ' ',
    h('span', { class: 'sev' }, f.severity),
    ' ',
    f.reason,
    ' ',
    h('span', { class: 'rule' }, '[' + f.rule + ']'),
    f.expected ? h('div', { class: 'expected' }, 'expected: ', h('code', null, f.expected)) : null,
    f.received !== null ? h('div', { class: 'received' }, 'received: ', h('code', null, f.received)) : null,
    f.note ? h('div', { class: 'note' }, 'note: ', f.note) : null,
    h('div', { class: 'docs' }, 'docs: ', h('code', null, f.docs)),
  );
}

function frontMatterTable(s) {
  var rows = [
    ['name', s.name],
    ['kind', s.kind],
    ['title', s.title],
    [
      'depends_on',
      s.dependsOn.length
        ? s.dependsOn.map(function (d, k) {
            return [
              k ? ', ' : '',
              d.spec === null
                ? h('span', { class: 'bad', title: 'no such spec' }, d.path + ' (missing)')
                : h('a', { href: specHref(d.spec) }, d.path),
            ];
          })
        : null,
    ],
    ['host_doc', s.hostDoc ? h('a', { href: '#paper' }, s.hostDoc) : null],
    ['section_label', s.sectionLabel],
  ].filter(function (r) {
    return r[1] !== null && r[1] !== undefined;
  });
  return h(
    'table',
    { class: 'front-matter' },
    h('caption', null, 'Front matter'),
    rows.map(function (r) {
      return h('tr', null, h('th', { scope: 'row' }, r[0]), h('td', null, r[1]));
    }),
  );
}

/** Entries of other specs this spec's entries read, and those that read them, grouped by spec. */
function pairing(s) {
  var reads = {},
    readBy = {};
  s.entries.forEach(function (i) {
    DATA.entries[i].reads.forEach(function (j) {
      if (DATA.entries[j].spec !== DATA.entries[i].spec) (reads[DATA.entries[j].spec] = reads[DATA.entries[j].spec] || []).push(j);
    });
    DATA.entries[i].readBy.forEach(function (j) {
      if (DATA.entries[j].spec !== DATA.entries[i].spec) (readBy[DATA.entries[j].spec] = readBy[DATA.entries[j].spec] || []).push(j);
    });
  });
  var group = function (by, label) {
    var specs = Object.keys(by)
      .map(Number)
      .sort(function (a, b) {
        return a - b;
      });
    if (!specs.length) return null;
    return h(
      'div',
      { class: 'pairing' },
      h('h3', null, label),
      h(
        'ul',
        null,
        specs.map(function (k) {
          var names = by[k].filter(function (j, n, all) {
            return all.indexOf(j) === n;
          });
          return h(
            'li',
            null,
            specLink(k),
            ' (' + (DATA.specs[k].kind || '?') + '): ',
            names.map(function (j, n) {
              return [n ? ', ' : '', entryLink(j)];
            }),
          );
        }),
      ),
    );
  };
  var dependents = s.dependents.length
    ? h(
        'div',
        { class: 'pairing' },
        h('h3', null, 'Named in depends_on of'),
        h(
          'ul',
          null,
          s.dependents.map(function (k) {
            return h('li', null, specLink(k));
          }),
        ),
      )
    : null;
  var parts = [group(reads, 'Reads'), group(readBy, 'Read by'), dependents].filter(Boolean);
  return parts.length ? h('section', { class: 'pairings' }, parts) : null;
}

function pathList(items, empty) {
  if (!items.length) return h('span', { class: 'muted' }, empty || 'none');
  return h(
    'ul',
    { class: 'paths' },
    items.map(function (p) {
      return h('li', null, fileLink(p.path), ' ', check(p.exists));
    }),
  );
}

function keysEl(e) {
  if (e.family !== 'compute') return null;
  var have = e.outputKeys;
  var required = e.keys.map(function (k) {
    var ok = have && have.indexOf(k) >= 0;
    return h(
      'code',
      { class: have ? (ok ? 'key ok' : 'key bad') : 'key', title: have ? (ok ? 'present' : 'missing from the output') : 'required' },
      k,
    );
  });
  return [
    e.keys.length ? h('div', null, 'Required keys: ', required) : null,
    have
      ? h(
          'div',
          null,
          'Top-level keys now: ',
          have.length
            ? have.map(function (k) {
                return h('code', { class: 'key' }, k);
              })
            : h('span', { class: 'muted' }, 'none'),
        )
      : null,
    e.outputNote ? h('div', { class: 'muted' }, e.outputNote) : null,
  ];
}

function lockEl(e) {
  if (!e.lock) return h('span', { class: 'muted' }, 'no lock record (never certified)');
  return [
    h('div', null, 'certified by ', h('strong', null, e.lock.author), ' on ', formatTime(e.lock.ts)),
    h(
      'table',
      { class: 'components' },
      h('thead', null, h('tr', null, h('th', null, 'role'), h('th', null, 'path'), h('th', null, 'sha256'))),
      h(
        'tbody',
        null,
        e.lock.components.map(function (c) {
          return h('tr', null, h('td', null, c.role), h('td', null, h('code', null, c.path)), h('td', null, h('code', null, c.sha)));
        }),
      ),
    ),
  ];
}

function receiptEl(e) {
  var r = e.receipt;
  if (!r) return h('span', { class: 'muted' }, 'no receipt: never run here, or the last run failed or was interrupted');
  return h(
    'div',
    null,
    'finished ',
    h('strong', null, formatTime(r.end)),
    ', took ',
    h('strong', null, formatDuration(r.durationMs)),
    ' on ',
    r.host,
    ' (exit ' + r.exitCode + '): ',
    h('code', null, r.command),
    r.source
      ? h(
          'div',
          { class: 'source' },
          'outputs fetched from the results cache ',
          h('code', null, r.source.cache),
          ', pushed by ' + r.source.archivedBy + ' at ',
          h('strong', null, formatTime(r.source.archivedAt)),
        )
      : null,
  );
}

function field(label, value) {
  return value === null || value === undefined ? null : [h('dt', null, label), h('dd', null, value)];
}

function entryCard(i) {
  var e = DATA.entries[i];
  var list = function (ids) {
    return ids.length
      ? ids.map(function (j, n) {
          return [n ? ', ' : '', entryLink(j)];
        })
      : null;
  };
  return h(
    'article',
    { class: 'entry-card', id: 'entry-' + e.name },
    h(
      'header',
      null,
      h('h3', null, e.name),
      h('span', { class: 'muted' }, e.family + ', line ' + e.line),
      ' ',
      badge(e.cert, e.certReason),
      ' ',
      badge(e.real, e.realReason),
      ' ',
      needsMarks(e),
    ),
    h(
      'dl',
      null,
      field(
        'Status',
        e.status
          ? [e.status, e.statusNote ? h('span', { class: 'muted' }, ' — ' + e.statusNote) : null]
          : h('span', { class: 'bad' }, 'no Status: line'),
      ),
      field(
        e.family === 'compute' ? 'Script' : 'Export script',
        e.script ? [fileLink(e.script.path), ' ', check(e.script.exists)] : h('span', { class: 'bad' }, 'none declared'),
      ),
      field('Run', e.run ? h('code', null, e.run) : null),
      field(e.family === 'compute' ? 'Output' : 'Export outputs', [pathList(e.outputs), keysEl(e)]),
      field('Workflows', e.workflows.length ? pathList(e.workflows) : null),
      field('Reads', list(e.reads)),
      field('Read by', list(e.readBy)),
      field(
        'Why',
        whyLines(e, false).map(function (l) {
          return h('div', null, l);
        }),
      ),
      field('Lock', lockEl(e)),
      field('Last run', receiptEl(e)),
    ),
  );
}

/** Spec bodies by index, rendered (remark, then rehype-sanitize: markdown-browser.ts) the first time their page opens. */
var renderMarkdown = null;
var specBodies = {};

function specBody(index) {
  if (!renderMarkdown) renderMarkdown = specthisMarkdown.createRenderer(DATA.specs, DATA.specsDir);
  if (!(index in specBodies)) specBodies[index] = renderMarkdown(DATA.specs[index].markdown, DATA.specs[index].file);
  return specBodies[index];
}

/** The HTML is already sanitized; here only its links are adapted to where the page is open. */
function insertMarkdown(el, html) {
  el.innerHTML = html;
  el.querySelectorAll('a[data-path]').forEach(function (a) {
    var path = a.getAttribute('data-path');
    if (linkable(path)) a.setAttribute('href', fileHref(path));
    else a.removeAttribute('href');
  });
}

function renderSpec(index, entryName) {
  var s = DATA.specs[index];
  var view = clear(document.getElementById('view-spec'));
  var errors = s.findings.filter(function (f) {
    return f.severity === 'error';
  }).length;
  append(
    view,
    h('p', { class: 'crumbs' }, h('a', { href: '#entries' }, DATA.specsDir), ' / ', s.path),
    h('h1', null, s.title || s.stem, ' ', h('span', { class: 'kind' }, s.kind || 'no kind'), ' ', badge(s.state)),
    h(
      'p',
      { class: 'muted' },
      h('code', null, s.file),
      ' · ',
      plural(s.counts.entries, 'entry', 'entries'),
      ' · ',
      s.counts.person + ' needing a person · ',
      s.counts.machine + ' needing a machine',
    ),
    s.broken
      ? h(
          'div',
          { class: 'problem' },
          h('strong', null, 'This spec has errors.'),
          ' Its entries are blocked and do not run until they are fixed.',
        )
      : null,
    s.findings.length
      ? h(
          'section',
          { class: 'findings' },
          h(
            'h2',
            null,
            'Findings (' +
              errors +
              ' error' +
              (errors === 1 ? '' : 's') +
              ', ' +
              (s.findings.length - errors) +
              ' warning' +
              (s.findings.length - errors === 1 ? '' : 's') +
              ')',
          ),
          h('ul', null, s.findings.map(findingItem)),
        )
      : null,
    frontMatterTable(s),
    pairing(s),
    s.entries.length ? h('section', { class: 'entries-cards' }, h('h2', null, 'Entries'), s.entries.map(entryCard)) : null,
  );
  var body = h('div', { class: 'markdown' });
  append(view, h('section', { class: 'spec-body' }, h('h2', { class: 'body-title' }, 'Spec text'), body));
  if (s.markdown !== null) insertMarkdown(body, specBody(index));
  else append(body, h('p', { class: 'muted' }, 'Nothing to show: the spec could not be read (see the findings).'));
  var target = entryName ? document.getElementById('entry-' + entryName) : null;
  if (target) target.scrollIntoView();
  else window.scrollTo(0, 0);
}
