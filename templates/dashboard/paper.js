/* The paper: per host document, per labelled section, what it inputs and which entry exports each file, with that entry's states. */

function exporterEl(j) {
  var e = DATA.entries[j];
  return h(
    'div',
    { class: 'exporter' },
    entryLink(j),
    ' ',
    h('span', { class: 'muted' }, '(' + DATA.specs[e.spec].path + ')'),
    ' ',
    badge(e.cert, e.certReason),
    ' ',
    badge(e.real, e.realReason),
  );
}

function inputRow(input) {
  var generated = input.file && input.file.indexOf('reports/') === 0;
  return h(
    'tr',
    { class: input.exists ? '' : 'missing-row' },
    h('td', null, h('code', null, '\\' + input.command + '{' + input.path + '}'), h('span', { class: 'muted' }, ' line ' + input.line)),
    h(
      'td',
      null,
      input.file ? fileLink(input.file) : h('span', { class: 'bad' }, 'outside the workspace'),
      ' ',
      input.file ? check(input.exists, 'exists', 'missing file') : null,
    ),
    h(
      'td',
      null,
      input.exportedBy.length
        ? input.exportedBy.map(exporterEl)
        : h('span', { class: generated ? 'bad' : 'muted' }, generated ? 'no entry exports it' : 'not an export'),
    ),
  );
}

function labelSection(doc, label) {
  var title = label.section ? label.section.title : '(before any section)';
  return h(
    'section',
    { class: 'paper-label', id: 'paper-' + doc.file + '-' + label.name },
    h(
      'h3',
      null,
      title,
      ' ',
      h('code', { class: 'label' }, '\\label{' + label.name + '}'),
      h(
        'span',
        { class: 'muted' },
        ' — line ' + label.line + (label.section ? ', \\' + label.section.command + ' at line ' + label.section.line : ''),
      ),
    ),
    label.reportSpecs.length
      ? h(
          'p',
          null,
          'Bound report specs: ',
          label.reportSpecs.map(function (k, n) {
            return [n ? ', ' : '', specLink(k)];
          }),
        )
      : null,
    label.reportSpecs.length
      ? h('p', { class: 'muted' }, '\\sectionversion within 10 lines of the label: ' + (label.sectionVersionNear ? 'yes' : 'no'))
      : null,
    label.inputs.length
      ? h(
          'table',
          { class: 'paper-inputs' },
          h('thead', null, h('tr', null, h('th', null, 'Input'), h('th', null, 'File'), h('th', null, 'Exported by'))),
          h('tbody', null, label.inputs.map(inputRow)),
        )
      : h('p', { class: 'muted' }, 'This section inputs nothing.'),
  );
}

function renderPaper() {
  var view = clear(document.getElementById('view-paper'));
  append(
    view,
    h('h1', null, 'Paper'),
    h(
      'p',
      { class: 'hint' },
      'Each host document under reports/, section by section: what the section inputs (\\input, \\include, \\includegraphics), the file it resolves to, and the entry that exports it with its states.',
    ),
  );
  if (!DATA.paper.length) append(view, h('p', { class: 'muted' }, 'No host documents: no .tex file under reports/ that no entry exports.'));
  DATA.paper.forEach(function (doc) {
    // A label no report is bound to is listed in one line when its section inputs nothing or was already shown under another label
    // (a table's \label sits in the section of the section's own \label).
    var sections = {};
    var shown = [],
      quiet = [];
    doc.labels.forEach(function (l) {
      if (l.reportSpecs.length && l.section) sections[l.section.line] = true;
    });
    doc.labels.forEach(function (l) {
      var key = l.section ? l.section.line : -1;
      if (l.reportSpecs.length || (l.inputs.length && !sections[key])) {
        shown.push(l);
        sections[key] = true;
      } else quiet.push(l);
    });
    append(
      view,
      h(
        'section',
        { class: 'paper-doc' },
        h('h2', null, fileLink(doc.file)),
        shown.map(function (l) {
          return labelSection(doc, l);
        }),
        quiet.length
          ? h(
              'p',
              { class: 'muted' },
              'Other labels: ',
              quiet.map(function (l, n) {
                return [n ? ', ' : '', h('code', null, l.name)];
              }),
            )
          : null,
      ),
    );
  });
}
