/* DOM helpers. Text always goes in as text nodes; the only innerHTML is a spec's sanitized body (spec-page.js). */

function h(tag, attrs) {
  var el = document.createElement(tag);
  if (attrs) {
    for (var key in attrs) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
  return el;
}

/** Appends each further argument: nodes, text, arrays of either; null, undefined and false are skipped. */
function append(el) {
  for (var i = 1; i < arguments.length; i++) {
    var child = arguments[i];
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child))
      child.forEach(function (c) {
        append(el, c);
      });
    else if (typeof child === 'string' || typeof child === 'number') el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

var SERVED = location.protocol === 'http:' || location.protocol === 'https:';

function encodePath(path) {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A workspace file: served pages ask the server; a page opened from disk links relative to <specsDir>/specs.html. */
function fileHref(path) {
  if (SERVED) return '/files/' + encodePath(path);
  var dir = DATA.specsDir;
  var up =
    dir === '.' || dir === ''
      ? ''
      : dir
          .split('/')
          .map(function () {
            return '..';
          })
          .join('/') + '/';
  return up + encodePath(path);
}

/** The server serves declared outputs only; from disk every workspace file can be linked. */
function linkable(path) {
  return !SERVED || DECLARED.has(path);
}

function fileLink(path) {
  return linkable(path) ? h('a', { href: fileHref(path), class: 'path' }, path) : h('code', { class: 'path' }, path);
}

function specHref(index) {
  return '#spec/' + DATA.specs[index].file;
}

function entryHref(index) {
  return '#entry/' + DATA.entries[index].name;
}

function specLink(index) {
  var s = DATA.specs[index];
  return h('a', { href: specHref(index), class: 'spec-link', title: s.file }, s.path);
}

function entryLink(index) {
  return h('a', { href: entryHref(index), class: 'entry-link' }, DATA.entries[index].name);
}

function check(ok, yes, no) {
  return h('span', { class: ok ? 'ok' : 'bad' }, ok ? '✓ ' + (yes || 'exists') : '✗ ' + (no || 'missing'));
}

function plural(n, word, many) {
  return n + ' ' + (n === 1 ? word : many || word + 's');
}

function formatDuration(ms) {
  if (ms < 1000) return ms + ' ms';
  var s = Math.round(ms / 100) / 10;
  if (s < 60) return s + ' s';
  var m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
  return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

function formatTime(iso) {
  return iso
    ? iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
        .replace(/Z$/, ' UTC')
    : '';
}
