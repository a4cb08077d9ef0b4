/* State names, their order (worst first) and what each means; core/dashboard/states.ts decides them. */

var STATE_RANK = [
  'blocked',
  'spec audit needed',
  'unknown',
  'missing',
  'stale',
  'needs review',
  'script TBD',
  'unbound',
  'fresh',
  'certified',
  '—',
  'none',
];

var STATE_HELP = {
  blocked: 'the spec has errors; its entries do not run until they are fixed',
  'spec audit needed': 'inputs moved since certification; check the entry and re-certify',
  unknown: 'the lock file does not parse, so certification cannot be read',
  missing: 'a declared output does not exist',
  stale: 'outputs exist but do not match the last run, or the inputs changed since',
  'needs review': "only the report spec's prose changed; re-export and look at the artefact",
  'script TBD': 'the spec says the script is not ready',
  unbound: 'never certified; runs with a warning',
  fresh: 'the receipt matches the inputs and the output bytes',
  certified: 'the inputs match the lock record',
  '—': 'not realized: the script is not ready',
  none: 'no entries',
};

var CERT_STATES = ['certified', 'spec audit needed', 'unbound', 'script TBD', 'unknown'];
var REAL_STATES = ['fresh', 'stale', 'missing', 'needs review', 'blocked', '—'];

function stateRank(state) {
  var i = STATE_RANK.indexOf(state);
  return i < 0 ? STATE_RANK.length : i;
}

function stateClass(state) {
  return state === '—' ? 's-none' : 's-' + state.replace(/ /g, '-').toLowerCase();
}

function badge(state, reason) {
  return h(
    'span',
    { class: 'badge ' + stateClass(state), title: reason || STATE_HELP[state] || '' },
    state === '—' ? '— not ready' : state,
  );
}

function stateLegend(states) {
  return h(
    'ul',
    { class: 'state-legend-list' },
    states.map(function (s) {
      return h('li', null, badge(s), ' ', h('span', { class: 'muted' }, STATE_HELP[s]));
    }),
  );
}

function needsMarks(e) {
  return [
    e.person ? h('span', { class: 'need person', title: DATA.legend.person }, 'person') : null,
    e.machine ? h('span', { class: 'need machine', title: DATA.legend.machine }, 'machine') : null,
  ];
}

/** The reasons behind an entry's two states and the audit's notes, each line once; `problemsOnly` leaves out the settled axes. */
function whyLines(e, problemsOnly) {
  var lines = [];
  var add = function (l) {
    if (l && lines.indexOf(l) < 0) lines.push(l);
  };
  if (!problemsOnly || e.cert !== 'certified') add(e.certReason);
  if (!problemsOnly || e.real !== 'fresh') add(e.realReason);
  // The audit notes "spec has errors" for a blocked entry; the realization reason already says so.
  e.notes.forEach(function (n) {
    if (n !== 'spec has errors') add(n);
  });
  if (!lines.length) add(e.realReason);
  return lines;
}
