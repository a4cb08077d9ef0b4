#!/usr/bin/env node
/**
 * Times `nx show projects --json` (daemon off) on the two workspaces bench/generate.js
 * wrote: inferred (the plugin) and static (the same projects as project.json files).
 *
 *   cold: `.nx/` deleted first (workspace data, plugin caches, project graph cache)
 *   warm: the same command again, `.nx/` kept
 *
 * Rounds interleave the two workspaces (and alternate which goes first) so machine
 * noise hits both alike; the table shows median and min, and the ratio of medians.
 *
 * Usage: node bench/show-projects.js [--rounds 5]
 * Extra Nx settings pass through the environment, e.g. NX_ISOLATE_PLUGINS=false.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { isDeepStrictEqual } = require('node:util');
const { linkSelf } = require('./generate');

const WORK = path.join(__dirname, '.work');
const WORKSPACES = ['inferred', 'static'];
const GOALS = { cold: 1.5, warm: 1.1 };
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 5;
const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
// NX_SKIP_NX_CACHE is not set: it only skips task results, and `show projects` runs no task.
// The project graph cache (NX_CACHE_PROJECT_GRAPH) stays on, as for a user; cold deletes it.

const dirOf = (ws) => path.join(WORK, ws);
const nxBin = (ws) => {
  const pkg = require.resolve('nx/package.json', { paths: [dirOf(ws)] });
  return path.join(path.dirname(pkg), require(pkg).bin.nx);
};

/** Runs nx in a workspace; returns stdout and wall-clock seconds. Throws on failure. */
function nx(ws, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [nxBin(ws), ...args], { cwd: dirOf(ws), env: ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} in ${ws} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return { stdout: r.stdout, seconds };
}
const cold = (ws) => {
  fs.rmSync(path.join(dirOf(ws), '.nx'), { recursive: true, force: true });
  return nx(ws, ['show', 'projects', '--json']);
};
const warm = (ws) => nx(ws, ['show', 'projects', '--json']);

/** Both workspaces must describe the same projects and targets, or the timing means nothing. */
function verify() {
  const names = WORKSPACES.map((ws) => JSON.parse(cold(ws).stdout).sort());
  if (!isDeepStrictEqual(names[0], names[1])) throw new Error(`project names differ: ${names[0].length} inferred vs ${names[1].length} static`);
  // One project in full (the one with the most targets), then every project's target names from the graph.
  const graphs = WORKSPACES.map((ws) => {
    const file = path.join(os.tmpdir(), `specthis-bench-${ws}-${process.pid}.json`);
    nx(ws, ['graph', `--file=${file}`]);
    const g = JSON.parse(fs.readFileSync(file, 'utf8')).graph;
    fs.rmSync(file);
    return g;
  });
  const targetCount = (p) => Object.keys(graphs[0].nodes[p].data.targets).length;
  const one = names[0].reduce((a, b) => (targetCount(b) > targetCount(a) ? b : a));
  const shown = WORKSPACES.map((ws) => JSON.parse(nx(ws, ['show', 'project', one, '--json']).stdout).targets);
  if (!isDeepStrictEqual(shown[0], shown[1])) throw new Error(`nx show project ${one} --json: targets differ between inferred and static`);
  for (const p of names[0]) {
    const [a, b] = graphs.map((g) => g.nodes[p].data.targets);
    if (!isDeepStrictEqual(a, b)) throw new Error(`project ${p}: targets differ between inferred and static`);
  }
  const edges = graphs.map((g) => Object.values(g.dependencies).flat().map((d) => `${d.source} -> ${d.target}`).sort());
  if (!isDeepStrictEqual(edges[0], edges[1])) throw new Error(`project dependencies differ: ${edges[0].length} inferred vs ${edges[1].length} static`);
  const targets = names[0].reduce((n, p) => n + targetCount(p), 0);
  console.log(`verified: ${names[0].length} projects in both; \`nx show project ${one} --json\` targets equal (${targetCount(one)}); every project's targets equal (${targets}); ${edges[0].length} project edges equal`);
  return { projects: names[0].length, targets };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (s) => `${s.toFixed(2)}s`;
const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

function main() {
  for (const ws of WORKSPACES) if (!fs.existsSync(path.join(dirOf(ws), 'nx.json'))) throw new Error(`${dirOf(ws)} missing: run node bench/generate.js first`);
  linkSelf();
  const counts = JSON.parse(fs.readFileSync(path.join(WORK, 'counts.json'), 'utf8'));
  const nxVersion = require(require.resolve('nx/package.json', { paths: [dirOf('inferred')] })).version;
  console.log(`node ${process.version}, nx ${nxVersion}, ${os.cpus().length} cores, NX_DAEMON=false, NX_ISOLATE_PLUGINS=${process.env.NX_ISOLATE_PLUGINS ?? '(default)'}, load average ${loadavg()}`);
  const { projects, targets } = verify();
  console.log(`workload: ${counts.specFiles} spec files, ${counts.entries} entries, ${projects} projects, ${targets} targets (${counts.files} files per workspace)`);

  const times = Object.fromEntries(WORKSPACES.map((ws) => [ws, { cold: [], warm: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...WORKSPACES].reverse() : WORKSPACES;
    for (const ws of order) {
      times[ws].cold.push(cold(ws).seconds);
      times[ws].warm.push(warm(ws).seconds);
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS}: ${WORKSPACES.map((ws) => `${ws} cold ${fmt(times[ws].cold[r])} warm ${fmt(times[ws].warm[r])}`).join(', ')} (load ${loadavg()})\n`);
  }

  const table = (rows) => {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    rows.forEach((row, n) => {
      console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`);
      if (n === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    });
  };
  console.log(`\n\`nx show projects --json\`, ${ROUNDS} rounds (load average at the end: ${loadavg()}):\n`);
  table([['workspace', 'cold median', 'cold min', 'warm median', 'warm min'],
    ...WORKSPACES.map((ws) => [ws, ...['cold', 'warm'].flatMap((k) => [fmt(median(times[ws][k])), fmt(Math.min(...times[ws][k]))])])]);
  console.log('');
  const ratio = (k, f) => f(times.inferred[k]) / f(times.static[k]);
  const min = (xs) => Math.min(...xs);
  table([['inferred/static', 'ratio of medians', 'ratio of mins', 'goal', 'verdict (medians)'],
    ...['cold', 'warm'].map((k) => [k, `${ratio(k, median).toFixed(2)}x`, `${ratio(k, min).toFixed(2)}x`, `<= ${GOALS[k]}x`, ratio(k, median) <= GOALS[k] ? 'PASS' : 'MISS'])]);
}

main();
