/* The sidebar: spec files as a tree of directories, each with entries · needing a person · needing a machine. */

function buildTree() {
  var root = { name: '', dirs: {}, files: [] };
  DATA.specs.forEach(function (s, i) {
    var parts = s.path.split('/');
    var node = root;
    for (var k = 0; k < parts.length - 1; k++) {
      node = node.dirs[parts[k]] || (node.dirs[parts[k]] = { name: parts[k], dirs: {}, files: [] });
    }
    node.files.push(i);
  });
  return root;
}

function countsOf(node) {
  var c = { entries: 0, person: 0, machine: 0, state: 'none' };
  node.files.forEach(function (i) {
    var s = DATA.specs[i];
    c.entries += s.counts.entries;
    c.person += s.counts.person;
    c.machine += s.counts.machine;
    if (stateRank(s.state) < stateRank(c.state)) c.state = s.state;
  });
  Object.keys(node.dirs).forEach(function (d) {
    var sub = countsOf(node.dirs[d]);
    c.entries += sub.entries;
    c.person += sub.person;
    c.machine += sub.machine;
    if (stateRank(sub.state) < stateRank(c.state)) c.state = sub.state;
  });
  return c;
}

function countsEl(c) {
  var title = plural(c.entries, 'entry', 'entries') + ', ' + c.person + ' needing a person, ' + c.machine + ' needing a machine';
  return h(
    'span',
    { class: 'counts', title: title },
    h('span', null, String(c.entries)),
    ' · ',
    h('span', { class: c.person ? 'person' : 'zero' }, String(c.person)),
    ' · ',
    h('span', { class: c.machine ? 'machine' : 'zero' }, String(c.machine)),
  );
}

function renderTreeNode(node, depth) {
  var items = [];
  Object.keys(node.dirs)
    .sort()
    .forEach(function (d) {
      var sub = node.dirs[d];
      var c = countsOf(sub);
      items.push(
        h(
          'details',
          { class: 'tree-dir', open: true, 'data-name': d.toLowerCase() },
          h(
            'summary',
            null,
            h('span', { class: 'dot ' + stateClass(c.state), title: c.state }),
            h('span', { class: 'name' }, d + '/'),
            countsEl(c),
          ),
          renderTreeNode(sub, depth + 1),
        ),
      );
    });
  node.files.forEach(function (i) {
    var s = DATA.specs[i];
    items.push(
      h(
        'a',
        {
          class: 'tree-file' + (s.broken ? ' broken' : ''),
          href: specHref(i),
          'data-spec': i,
          'data-name': s.path.toLowerCase(),
          title: s.file + (s.broken ? ' — has errors' : ''),
        },
        h('span', { class: 'dot ' + stateClass(s.state), title: s.state }),
        h('span', { class: 'name' }, s.stem),
        s.broken ? h('span', { class: 'flag' }, 'errors') : null,
        countsEl(s.counts),
      ),
    );
  });
  return h('div', { class: 'tree-children' }, items);
}

function initSidebar() {
  var tree = document.getElementById('tree');
  append(tree, renderTreeNode(buildTree(), 0));
  var input = document.getElementById('tree-filter');
  var files = tree.querySelectorAll('.tree-file');
  var dirs = tree.querySelectorAll('.tree-dir');
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    files.forEach(function (f) {
      f.hidden = !!q && f.getAttribute('data-name').indexOf(q) < 0;
    });
    // Deepest first, so a directory sees whether its subdirectories kept anything.
    for (var i = dirs.length - 1; i >= 0; i--) {
      var d = dirs[i];
      d.hidden = !!q && !d.querySelector('.tree-file:not([hidden])');
    }
  });
  append(
    document.getElementById('legend'),
    h('p', null, h('strong', null, 'person'), ': ', DATA.legend.person.replace(/^needs a person: /, '')),
    h('p', null, h('strong', null, 'machine'), ': ', DATA.legend.machine.replace(/^needs a machine: /, '')),
  );
}

function markCurrentSpec(index) {
  document.querySelectorAll('.tree-file[aria-current]').forEach(function (a) {
    a.removeAttribute('aria-current');
  });
  if (index === null || index === undefined) return;
  var a = document.querySelector('.tree-file[data-spec="' + index + '"]');
  if (a) {
    a.setAttribute('aria-current', 'page');
    if (a.scrollIntoView) a.scrollIntoView({ block: 'nearest' });
  }
}
