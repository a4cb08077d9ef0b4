#!/usr/bin/env node
/**
 * Times the dashboard on the 5,000-entry workspace bench/generate.js wrote
 * (bench/.work/inferred, copied to a temp dir so the other bench is never
 * disturbed), against the issue's goals:
 *
 *   render       `specthis dashboard` wall time (specs.html, _index.json,
 *                _routing.json); `specthis audit --no-write` beside it, since
 *                the page is built on the audit                       < 3 s
 *   interactive  specs.html opened from file:// in headless Chromium: from
 *                navigation start (performance.now() = 0) to the first moment
 *                the table shows rows AND a filter typed into the filter box
 *                has narrowed them (see INTERACTIVE below)            < 2 s
 *   reload       under `specthis serve`: writeFileSync of a changed spec to
 *                the SSE `event: reload` arriving at a node http client
 *                reading /_specthis/events (debounce included)        < 300 ms
 *
 * Usage: node bench/dashboard.js [--runs 5] [--saves 8] [--cpu-prof <dir>]
 *   --cpu-prof runs the server under `node --cpu-prof` and prints where its time went.
 * Needs `npm run build` and `node bench/generate.js` first (`npm run bench:dashboard` does both).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { measureInteractive } = require('./dashboard-browser');
const { measureReload } = require('./dashboard-reload');

const REPO = path.resolve(__dirname, '..');
const CLI = path.join(REPO, 'dist', 'cli', 'main.js');
const SOURCE = path.join(__dirname, '.work', 'inferred');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const RUNS = Number(arg('runs', 5));
const SAVES = Number(arg('saves', 8));
const CPU_PROF = arg('cpu-prof', undefined);
const GOALS = { render: 3000, interactive: 2000, reload: 300 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

/** A private copy of the generated workspace: the bench writes specs.html and edits a spec. */
function copyWorkspace() {
  if (!fs.existsSync(path.join(SOURCE, 'nx.json'))) throw new Error(`${SOURCE} is missing: run \`node bench/generate.js\` first`);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-bench-dashboard-'));
  fs.cpSync(SOURCE, dir, { recursive: true, filter: (src) => !/[/\\](\.git|\.nx|node_modules|results|\.specthis)$/.test(src) });
  return dir;
}

/** Wall time of one CLI run, in ms; throws when it fails to run at all (exit 1 = findings, which the audit reports here). */
function timeCli(root, args, okCodes) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(r.status)) throw new Error(`specthis ${args.join(' ')} exited ${r.status}\n${r.stderr.slice(0, 4000)}`);
  return wall;
}

function measureRender(root) {
  const render = [];
  const audit = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so neither always runs on a warmer page cache.
    if (i % 2) audit.push(timeCli(root, ['audit', '--no-write'], [0, 1]));
    render.push(timeCli(root, ['dashboard'], [0, 1]));
    if (!(i % 2)) audit.push(timeCli(root, ['audit', '--no-write'], [0, 1]));
  }
  const page = path.join(root, 'specs', 'specs.html');
  return { render, audit, page, bytes: fs.statSync(page).size };
}

async function main() {
  const root = copyWorkspace();
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const specs = fs.readdirSync(path.join(root, 'specs'), { recursive: true }).filter((f) => f.endsWith('.md')).length;
  console.log(`workspace: copy of bench/.work/inferred (${specs} specs) in ${root}`);
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0].model}), node ${process.version}, load at start ${load()}`);

  const r = measureRender(root);
  console.log(`render:      ${r.render.map(ms).join(', ')}`);
  console.log(`audit:       ${r.audit.map(ms).join(', ')}`);
  console.log(`page:        ${(r.bytes / 1024 / 1024).toFixed(2)} MiB`);

  const i = await measureInteractive(r.page, RUNS + 1);
  console.log(`interactive: ${i.runs.map((x) => `${ms(x.ready)} (rows ${ms(x.rows)}, DOMContentLoaded ${ms(x.dcl)})`).join(', ')}; ${i.rows} rows shown of ${i.entries} entries, filter "${i.needle}" left ${i.narrowed}`);

  const s = await measureReload(root, CLI, SAVES, CPU_PROF);
  console.log(`reload:      ${s.latencies.map(ms).join(', ')}`);
  console.log(`server log:  ${s.rebuilds.map(ms).join(', ')} (render time per rebuild, as the server logs it)`);

  const rows = [
    ['render specs.html (median)', GOALS.render, median(r.render)],
    ['  for reference: audit --no-write (median)', null, median(r.audit)],
    ['interactive from file:// (median)', GOALS.interactive, median(i.runs.map((x) => x.ready))],
    ['reload after a save (median)', GOALS.reload, median(s.latencies)],
    ['reload after a save (max)', GOALS.reload, Math.max(...s.latencies)],
  ];
  console.log('\n| measure | goal | measured | verdict |\n|---|---|---|---|');
  for (const [name, goal, value] of rows) console.log(`| ${name} | ${goal === null ? '' : `< ${ms(goal)}`} | ${ms(value)} | ${goal === null ? '' : value < goal ? 'PASS' : 'MISS'} |`);
  console.log(`\npage size ${(r.bytes / 1024 / 1024).toFixed(2)} MiB; ${RUNS} render/audit runs, ${i.runs.length} page loads (the first is a cold browser), ${s.latencies.length} saves`);
  console.log(`load average (1/5/15 min) at the end: ${load()}; ${os.cpus().length} cores shared with other work`);
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exitCode = 1;
});
