/* The entries table's controls: the filter box, the state selects, sortable headers; filters survive a live reload. */

function select(id, label, options) {
  return h(
    'label',
    null,
    label + ' ',
    h(
      'select',
      { id: id },
      h('option', { value: '' }, 'any'),
      options.map(function (o) {
        return Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o === '—' ? '— (script TBD)' : o);
      }),
    ),
  );
}

function initTable() {
  var view = document.getElementById('view-entries');
  var headRow = h(
    'tr',
    null,
    COLUMNS.map(function (c) {
      if (!c.key) return h('th', { scope: 'col' }, c.label);
      return h(
        'th',
        { scope: 'col', 'aria-sort': 'none', 'data-key': c.key },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            onclick: function () {
              sortBy(c.key);
            },
          },
          c.label,
        ),
      );
    }),
  );
  append(
    view,
    h('h1', null, 'Entries'),
    h(
      'div',
      { class: 'filters' },
      h('input', {
        id: 'table-filter',
        class: 'search',
        type: 'search',
        placeholder: 'Filter by entry, spec, reason…',
        'aria-label': 'Filter entries',
      }),
      select('filter-cert', 'Certification', CERT_STATES),
      select('filter-real', 'Realization', REAL_STATES),
      select('filter-needs', 'Needs', [
        ['person', 'a person'],
        ['machine', 'a machine'],
        ['nothing', 'nothing'],
      ]),
      select('filter-family', 'Family', [
        ['compute', 'compute'],
        ['export', 'export (report, figure)'],
      ]),
    ),
    h('p', { id: 'table-count', class: 'muted' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'entries' }, h('thead', null, headRow), h('tbody', { id: 'entry-rows' }))),
    h('button', { id: 'table-more', type: 'button', class: 'more', onclick: showMore }, 'Show more'),
    h('div', { id: 'table-end' }),
  );
  restoreTableState();
  var timer = null;
  document.getElementById('table-filter').addEventListener('input', function (ev) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      table.filter.text = ev.target.value.trim();
      applyTable();
    }, 120);
  });
  [
    ['filter-cert', 'cert'],
    ['filter-real', 'real'],
    ['filter-needs', 'needs'],
    ['filter-family', 'family'],
  ].forEach(function (p) {
    document.getElementById(p[0]).addEventListener('change', function (ev) {
      table.filter[p[1]] = ev.target.value;
      applyTable();
    });
  });
  if ('IntersectionObserver' in window) {
    new IntersectionObserver(
      function (seen) {
        if (seen[0].isIntersecting && table.shown < table.rows.length && !view.hidden) showMore();
      },
      { rootMargin: '400px' },
    ).observe(document.getElementById('table-end'));
  }
  markSort();
  applyTable();
}

function sortBy(key) {
  table.sort = { key: key, dir: table.sort.key === key ? -table.sort.dir : 1 };
  markSort();
  applyTable();
}

function markSort() {
  document.querySelectorAll('table.entries th[data-key]').forEach(function (th) {
    var on = th.getAttribute('data-key') === table.sort.key;
    th.setAttribute('aria-sort', on ? (table.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
  });
}

/** Filters survive a live reload (same tab only). */
function saveTableState() {
  try {
    sessionStorage.setItem('specthis-table', JSON.stringify({ sort: table.sort, filter: table.filter }));
  } catch (e) {
    /* storage off */
  }
}

function restoreTableState() {
  var saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem('specthis-table') || 'null');
  } catch (e) {
    saved = null;
  }
  if (!saved || !saved.filter || !saved.sort || !Object.prototype.hasOwnProperty.call(SORT_KEYS, saved.sort.key)) return;
  table.sort = { key: saved.sort.key, dir: saved.sort.dir < 0 ? -1 : 1 };
  ['text', 'cert', 'real', 'needs', 'family'].forEach(function (k) {
    if (typeof saved.filter[k] === 'string') table.filter[k] = saved.filter[k];
  });
  document.getElementById('table-filter').value = table.filter.text;
  document.getElementById('filter-cert').value = table.filter.cert;
  document.getElementById('filter-real').value = table.filter.real;
  document.getElementById('filter-needs').value = table.filter.needs;
  document.getElementById('filter-family').value = table.filter.family;
}
