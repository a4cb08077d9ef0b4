/* The entries table: filtered and sorted over plain arrays, rows drawn 200 at a time as the reader scrolls. */

var CHUNK = 200;
var table = { rows: [], shown: 0, sort: { key: 'spec', dir: 1 }, filter: { text: '', cert: '', real: '', needs: '', family: '' } };

var COLUMNS = [
  { key: 'name', label: 'Entry' },
  { key: 'spec', label: 'Spec' },
  { key: 'family', label: 'Kind' },
  { key: 'cert', label: 'Certification' },
  { key: 'real', label: 'Realization' },
  { key: 'needs', label: 'Needs' },
  { key: null, label: 'Why' },
];

var SORT_KEYS = {
  name: function (e) {
    return e.name;
  },
  spec: function (e) {
    return DATA.specs[e.spec].file + '\u0000' + String(e.line).padStart(7, '0');
  },
  family: function (e) {
    return (DATA.specs[e.spec].kind || '') + '\u0000' + e.name;
  },
  cert: function (e) {
    return stateRank(e.cert);
  },
  real: function (e) {
    return stateRank(e.real);
  },
  needs: function (e) {
    return (e.person ? 0 : 2) + (e.machine ? 0 : 1);
  },
};

/** Searched text per entry, computed once: name, spec, kind, both reasons and the notes. */
var haystacks = null;

function haystack(i) {
  var e = DATA.entries[i];
  return (
    e.name +
    '\n' +
    DATA.specs[e.spec].file +
    '\n' +
    (DATA.specs[e.spec].kind || '') +
    '\n' +
    e.certReason +
    '\n' +
    e.realReason +
    '\n' +
    e.notes.join('\n')
  ).toLowerCase();
}

function matches(i) {
  var e = DATA.entries[i];
  var f = table.filter;
  if (f.cert && e.cert !== f.cert) return false;
  if (f.real && e.real !== f.real) return false;
  if (f.family && e.family !== f.family) return false;
  if (f.needs === 'person' && !e.person) return false;
  if (f.needs === 'machine' && !e.machine) return false;
  if (f.needs === 'nothing' && (e.person || e.machine)) return false;
  if (f.text) {
    var words = f.text.toLowerCase().split(/\s+/);
    for (var w = 0; w < words.length; w++) if (words[w] && haystacks[i].indexOf(words[w]) < 0) return false;
  }
  return true;
}

function applyTable() {
  if (!haystacks)
    haystacks = DATA.entries.map(function (_, i) {
      return haystack(i);
    });
  var rows = [];
  for (var i = 0; i < DATA.entries.length; i++) if (matches(i)) rows.push(i);
  var key = SORT_KEYS[table.sort.key];
  var keys = {};
  rows.forEach(function (i) {
    keys[i] = key(DATA.entries[i]);
  });
  var dir = table.sort.dir;
  rows.sort(function (a, b) {
    return (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b) * dir;
  });
  table.rows = rows;
  table.shown = 0;
  clear(document.getElementById('entry-rows'));
  showMore();
  saveTableState();
}

function whyCell(e) {
  return h(
    'td',
    { class: 'why' },
    whyLines(e, true).map(function (l) {
      return h('div', null, l);
    }),
  );
}

function rowEl(i) {
  var e = DATA.entries[i];
  var s = DATA.specs[e.spec];
  return h(
    'tr',
    null,
    h('td', null, entryLink(i)),
    h(
      'td',
      null,
      h('a', { href: specHref(e.spec), class: 'spec-link', title: s.file }, s.path),
      h('span', { class: 'muted' }, ':' + e.line),
    ),
    h('td', null, s.kind || e.family),
    h('td', null, badge(e.cert, e.certReason)),
    h('td', null, badge(e.real, e.realReason)),
    h('td', null, needsMarks(e)),
    whyCell(e),
  );
}

function showMore() {
  var body = document.getElementById('entry-rows');
  var end = Math.min(table.rows.length, table.shown + CHUNK);
  var frag = document.createDocumentFragment();
  for (var k = table.shown; k < end; k++) frag.appendChild(rowEl(table.rows[k]));
  body.appendChild(frag);
  table.shown = end;
  var left = table.rows.length - table.shown;
  document.getElementById('table-count').textContent =
    'Showing ' +
    table.shown +
    ' of ' +
    plural(table.rows.length, 'matching entry', 'matching entries') +
    ' (' +
    DATA.entries.length +
    ' in all)';
  var more = document.getElementById('table-more');
  more.hidden = left <= 0;
  more.textContent = 'Show ' + Math.min(left, CHUNK) + ' more';
}
