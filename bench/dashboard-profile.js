/**
 * bench/dashboard.js --cpu-prof: where the server's time went during the
 * measured saves. Reads the .cpuprofile `node --cpu-prof` wrote on exit and
 * keeps only the samples inside [from, to] (process.hrtime.bigint() values,
 * ns; V8's profile clock is the same CLOCK_MONOTONIC, in µs), so the first
 * render at start-up is left out. Prints inclusive time of our functions
 * (dist/) and self time per package / file.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

function where(frame) {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return `(${frame.functionName || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  return url.startsWith(REPO) ? path.relative(REPO, url) : url.startsWith('node:') ? 'node internals' : url;
}

function summarize(file, from, to, top = 15) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const inclusive = new Map();
  const self = new Map();
  let total = 0;
  let t = profile.startTime;
  const lo = Number(from / 1000n);
  const hi = Number(to / 1000n);
  profile.samples.forEach((id, k) => {
    t += profile.timeDeltas[k];
    const dt = profile.timeDeltas[k + 1] ?? 0;
    if (t < lo || t > hi) return;
    const node = byId.get(id);
    if (node.callFrame.functionName === '(idle)') return;
    total += dt;
    self.set(where(node.callFrame), (self.get(where(node.callFrame)) ?? 0) + dt);
    const seen = new Set();
    for (let n = node; n; n = byId.get(parent.get(n.id))) {
      const f = n.callFrame;
      if (!f.url.includes('/dist/')) continue;
      const key = `${f.functionName || '(anonymous)'} ${path.relative(REPO, f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const list = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${ms(v)}  ${k}`)
      .join('\n');
  return `CPU busy during the saves: ${ms(total).trim()}\nour functions, inclusive:\n${list(inclusive)}\nself time by package or file:\n${list(self)}`;
}

/** The newest .cpuprofile in `dir`, summarized over [from, to]. */
function profileReport(dir, from, to) {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
  if (!files.length) return `no .cpuprofile in ${dir} (did the server exit cleanly?)`;
  const newest = files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  return `${newest}\n${summarize(newest, from, to)}`;
}

module.exports = { profileReport };
