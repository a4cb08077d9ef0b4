/* Start-up: read the embedded data, draw the sidebar and the table, route on the URL hash, reload when the server says so. */

var DATA = JSON.parse(document.getElementById('specthis-data').textContent);
var DECLARED = new Set();
DATA.entries.forEach(function (e) {
  e.outputs.forEach(function (o) {
    DECLARED.add(o.path);
  });
});
// Maps, never plain objects: an entry named `constructor` or a route `#spec/__proto__` must not find Object.prototype.
var SPEC_BY_FILE = new Map();
DATA.specs.forEach(function (s, i) {
  SPEC_BY_FILE.set(s.file, i);
});
var ENTRY_BY_NAME = new Map();
DATA.entries.forEach(function (e, i) {
  if (!ENTRY_BY_NAME.has(e.name)) ENTRY_BY_NAME.set(e.name, i);
});

var rendered = { paper: false };

function showView(name) {
  ['entries', 'spec', 'pipeline', 'paper'].forEach(function (v) {
    document.getElementById('view-' + v).hidden = v !== name;
  });
  document.querySelectorAll('.views a').forEach(function (a) {
    if (a.getAttribute('data-view') === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

function decodeHash() {
  var raw = location.hash.replace(/^#/, '');
  try {
    return decodeURIComponent(raw);
  } catch (e) {
    return raw;
  }
}

function route() {
  var hash = decodeHash();
  var current = null;
  if (hash.indexOf('spec/') === 0 && SPEC_BY_FILE.has(hash.slice(5))) {
    current = SPEC_BY_FILE.get(hash.slice(5));
    showView('spec');
    renderSpec(current, null);
    document.title = DATA.specs[current].stem + ' · specthis';
  } else if (hash.indexOf('entry/') === 0 && ENTRY_BY_NAME.has(hash.slice(6))) {
    var e = DATA.entries[ENTRY_BY_NAME.get(hash.slice(6))];
    current = e.spec;
    showView('spec');
    renderSpec(current, e.name);
    document.title = e.name + ' · specthis';
  } else if (hash === 'pipeline') {
    showView('pipeline');
    document.title = 'Pipeline · specthis';
  } else if (hash === 'paper') {
    if (!rendered.paper) {
      renderPaper();
      rendered.paper = true;
    }
    showView('paper');
    document.title = 'Paper · specthis';
  } else {
    showView('entries');
    document.title = 'Entries · specthis';
  }
  markCurrentSpec(current);
}

function renderSummary() {
  var s = DATA.summary;
  append(
    document.getElementById('summary'),
    h('span', null, plural(s.specs, 'spec')),
    ' · ',
    h('span', null, plural(s.entries, 'entry', 'entries')),
    ' · ',
    h('span', { class: s.person ? 'person' : '', title: DATA.legend.person }, s.person + ' need a person'),
    ' · ',
    h('span', { class: s.machine ? 'machine' : '', title: DATA.legend.machine }, s.machine + ' need a machine'),
    s.errors ? [' · ', h('span', { class: 'bad' }, plural(s.errors, 'audit error'))] : null,
  );
  if (DATA.problems.length) {
    append(
      document.getElementById('problems'),
      h('div', { class: 'problem' }, h('strong', null, 'Workspace problems'), h('ul', null, DATA.problems.map(findingItem))),
    );
  }
  append(
    document.getElementById('dag-legend'),
    stateLegend(
      STATE_RANK.filter(function (s) {
        return s !== '—' && s !== 'certified';
      }),
    ),
  );
}

/** In-page anchors inside a spec body (footnotes) scroll instead of routing away from the spec. */
function keepFootnotesInPage(ev) {
  var a = ev.target.closest && ev.target.closest('.markdown a[href^="#"]');
  if (!a || a.getAttribute('href').indexOf('#spec/') === 0) return;
  var id = a.getAttribute('href').slice(1);
  // The sanitizer prefixes ids with user-content- (GitHub's clobber rule); a link may or may not carry the prefix.
  var target = document.getElementById(id) || document.getElementById('user-content-' + id) || document.getElementsByName(id)[0];
  ev.preventDefault();
  if (target) target.scrollIntoView();
}

/** The build the server rendered this page from (its Server-Timing header), so a rebuild made before the stream opens still reloads the page. */
function servedBuild() {
  var nav = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
  var timing =
    nav && nav.serverTiming
      ? nav.serverTiming.filter(function (t) {
          return t.name === 'specthis-build';
        })[0]
      : null;
  return timing && /^\d+$/.test(timing.description) ? timing.description : null;
}

function liveReload() {
  if (!SERVED || typeof EventSource === 'undefined') return;
  var build = servedBuild();
  var events = new EventSource('/_specthis/events' + (build ? '?since=' + build : ''));
  events.addEventListener('reload', function () {
    location.reload();
  });
}

renderSummary();
initSidebar();
initTable();
document.addEventListener('click', keepFootnotesInPage);
window.addEventListener('hashchange', route);
route();
// Tests and the bench wait on this rather than on the shape of the DOM.
document.documentElement.dataset.ready = '1';
liveReload();
