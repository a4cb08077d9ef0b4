#!/usr/bin/env node
/**
 * Times `nx show projects --json` (daemon off) on the workspaces bench/generate.js
 * wrote: inferred (the plugin), static (the same projects as project.json files)
 * and empty (static plus a plugin that infers nothing: what any plugin worker costs).
 *
 *   cold: `.nx/` deleted first (workspace data, plugin caches, project graph cache)
 *   warm: the same command again, `.nx/` kept
 *
 * Rounds interleave the workspaces (the order rotates every round) so machine noise
 * hits all alike; besides the ratio of medians, the median of per-round ratios. Besides wall time it records CPU time (user+sys) of every Node
 * process of a run (Nx and its plugin workers), which contention on a shared machine
 * moves far less: a `--require` hook appends each process's `process.cpuUsage()` on
 * exit. Non-Node children (Nx's few `git` calls) are not counted; both sides make them.
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
const { median } = require('./support');

const WORK = path.join(__dirname, '.work');
const WORKSPACES = ['inferred', 'static', 'empty'];
// Issue 14's restatement: cold against static project.json files; warm against a plugin that infers nothing,
// the price any plugin worker pays with isolation on (inferred/static warm stays as a reference).
const GOALS = [
  ['inferred', 'static', 'cold', 1.5],
  ['inferred', 'static', 'warm'],
  ['empty', 'static', 'warm'],
  ['inferred', 'empty', 'warm', 1.05],
];
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 5;
const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
// NX_SKIP_NX_CACHE is not set: it only skips task results, and `show projects` runs no task.
// The project graph cache (NX_CACHE_PROJECT_GRAPH) stays on, as for a user; cold deletes it.

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-bench-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
const CPU_HOOK = path.join(TMP, 'cpu-hook.js');
/** Preloaded into every Node process of a run: on exit, appends its role and CPU seconds to $SPECTHIS_BENCH_CPU. */
function cpuHook() {
  process.once('exit', () => {
    const u = process.cpuUsage();
    // Nx itself, the worker of the plugin under test (ours or the empty one), or one of Nx's own plugin workers.
    const worker = /plugin-worker\.js$/.test(process.argv[1] || '');
    const ours = Object.keys(require.cache).some((f) => /[\\/]dist[\\/]plugin[\\/]create-nodes\.js$|empty-plugin\.js$/.test(f));
    const role = worker ? (ours ? 'plugin' : 'workers') : 'nx';
    require('node:fs').appendFileSync(process.env.SPECTHIS_BENCH_CPU, `${role} ${(u.user + u.system) / 1e6}\n`);
  });
}
fs.writeFileSync(CPU_HOOK, `'use strict';\n(${cpuHook})();\n`);

const dirOf = (ws) => path.join(WORK, ws);
const nxBin = (ws) => {
  const pkg = require.resolve('nx/package.json', { paths: [dirOf(ws)] });
  return path.join(path.dirname(pkg), require(pkg).bin.nx);
};

/** Runs nx in a workspace; returns stdout, wall-clock seconds and CPU seconds by role. Throws on failure. */
let runs = 0;
function nx(ws, args) {
  const cpuFile = path.join(TMP, `cpu-${++runs}.txt`);
  const env = { ...ENV, SPECTHIS_BENCH_CPU: cpuFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${CPU_HOOK}`.trim() };
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [nxBin(ws), ...args], { cwd: dirOf(ws), env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} in ${ws} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  const cpu = { total: 0, nx: 0, plugin: 0, workers: 0 };
  // Workers may still be writing their line when nx exits; wait briefly for every process to report.
  for (let tries = 0; tries < 50; tries++) {
    const lines = fs.existsSync(cpuFile) ? fs.readFileSync(cpuFile, 'utf8').trim().split('\n') : [];
    if (lines.length >= (ws === 'static' ? 4 : 5) || tries === 49) {
      for (const line of lines) {
        const [role, s] = line.split(' ');
        cpu[role] += Number(s);
        cpu.total += Number(s);
      }
      break;
    }
    spawnSync('sleep', ['0.1']);
  }
  return { stdout: r.stdout, seconds, cpu };
}
const cold = (ws) => {
  fs.rmSync(path.join(dirOf(ws), '.nx'), { recursive: true, force: true });
  return nx(ws, ['show', 'projects', '--json']);
};
const warm = (ws) => nx(ws, ['show', 'projects', '--json']);

/** The inferred and static workspaces must describe the same projects and targets, or the timing means nothing. */
function verify() {
  const names = WORKSPACES.map((ws) => JSON.parse(cold(ws).stdout).sort());
  for (const k of [1, 2])
    if (!isDeepStrictEqual(names[0], names[k]))
      throw new Error(`project names differ: ${names[0].length} inferred vs ${names[k].length} ${WORKSPACES[k]}`);
  // One project in full (the one with the most targets), then every project's targets from the graph.
  const graphs = WORKSPACES.slice(0, 2).map((ws) => {
    const file = path.join(TMP, `graph-${ws}.json`);
    nx(ws, ['graph', `--file=${file}`]);
    const g = JSON.parse(fs.readFileSync(file, 'utf8')).graph;
    fs.rmSync(file);
    return g;
  });
  const targetCount = (p) => Object.keys(graphs[0].nodes[p].data.targets).length;
  const one = names[0].reduce((a, b) => (targetCount(b) > targetCount(a) ? b : a));
  const shown = WORKSPACES.slice(0, 2).map((ws) => JSON.parse(nx(ws, ['show', 'project', one, '--json']).stdout).targets);
  if (!isDeepStrictEqual(shown[0], shown[1])) throw new Error(`nx show project ${one} --json: targets differ between inferred and static`);
  for (const p of names[0]) {
    const [a, b] = graphs.map((g) => g.nodes[p].data.targets);
    if (!isDeepStrictEqual(a, b)) throw new Error(`project ${p}: targets differ between inferred and static`);
  }
  const edges = graphs.map((g) =>
    Object.values(g.dependencies)
      .flat()
      .map((d) => `${d.source} -> ${d.target}`)
      .sort(),
  );
  if (!isDeepStrictEqual(edges[0], edges[1]))
    throw new Error(`project dependencies differ: ${edges[0].length} inferred vs ${edges[1].length} static`);
  const targets = names[0].reduce((n, p) => n + targetCount(p), 0);
  console.log(
    `verified: ${names[0].length} projects in all three; \`nx show project ${one} --json\` targets equal (${targetCount(one)}); every project's targets equal (${targets}); ${edges[0].length} project edges equal`,
  );
  return { projects: names[0].length, targets };
}

const min = (xs) => Math.min(...xs);
const fmt = (s) => `${s.toFixed(2)}s`;
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const table = (rows) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  rows.forEach((row, n) => {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`);
    if (n === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
};

function main() {
  for (const ws of WORKSPACES)
    if (!fs.existsSync(path.join(dirOf(ws), 'nx.json'))) throw new Error(`${dirOf(ws)} missing: run node bench/generate.js first`);
  linkSelf();
  const counts = JSON.parse(fs.readFileSync(path.join(WORK, 'counts.json'), 'utf8'));
  const nxVersion = require(require.resolve('nx/package.json', { paths: [dirOf('inferred')] })).version;
  console.log(
    `node ${process.version}, nx ${nxVersion}, ${os.cpus().length} cores, NX_DAEMON=false, NX_ISOLATE_PLUGINS=${process.env.NX_ISOLATE_PLUGINS ?? '(default)'}, load average ${loadavg()}`,
  );
  const { projects, targets } = verify();
  console.log(
    `workload: ${counts.specFiles} spec files, ${counts.entries} entries, ${projects} projects, ${targets} targets (${counts.files} files per workspace)`,
  );

  // times[ws][cold|warm] = [{seconds, cpu}]
  const times = Object.fromEntries(WORKSPACES.map((ws) => [ws, { cold: [], warm: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = WORKSPACES.map((_, k) => WORKSPACES[(k + r) % WORKSPACES.length]);
    for (const ws of order) {
      times[ws].cold.push(cold(ws));
      times[ws].warm.push(warm(ws));
    }
    const show = (ws) =>
      `${ws} ${['cold', 'warm'].map((k) => `${k} ${fmt(times[ws][k][r].seconds)}/${fmt(times[ws][k][r].cpu.total)}`).join(' ')}`;
    process.stderr.write(`round ${r + 1}/${ROUNDS} (wall/cpu): ${WORKSPACES.map(show).join(', ')} (load ${loadavg()})\n`);
  }
  const wall = (ws, k) => times[ws][k].map((t) => t.seconds);
  const cpu = (ws, k, role = 'total') => times[ws][k].map((t) => t.cpu[role]);

  console.log(`\n\`nx show projects --json\`, ${ROUNDS} rounds (load average at the end: ${loadavg()}). Wall time:\n`);
  table([
    ['workspace', 'cold median', 'cold min', 'warm median', 'warm min'],
    ...WORKSPACES.map((ws) => [ws, ...['cold', 'warm'].flatMap((k) => [fmt(median(wall(ws, k))), fmt(min(wall(ws, k)))])]),
  ]);
  console.log('\nCPU time (user+sys, every Node process of the run; medians):\n');
  table([
    ['workspace', 'cold', 'warm', 'warm: nx', 'warm: plugin worker', "warm: nx's 3 workers"],
    ...WORKSPACES.map((ws) => [
      ws,
      fmt(median(cpu(ws, 'cold'))),
      fmt(median(cpu(ws, 'warm'))),
      ...['nx', 'plugin', 'workers'].map((role) => fmt(median(cpu(ws, 'warm', role)))),
    ]),
  ]);
  console.log('');
  const ratio = (a, b, k, f, of = wall) => f(of(a, k)) / f(of(b, k));
  // Runs of one round are seconds apart, so their ratio cancels slow swings in the machine's load.
  const paired = (a, b, k) => median(wall(a, k).map((s, r) => s / wall(b, k)[r]));
  const row = (a, b, k) => [
    `${ratio(a, b, k, median).toFixed(2)}x`,
    `${paired(a, b, k).toFixed(2)}x`,
    `${ratio(a, b, k, min).toFixed(2)}x`,
    `${ratio(a, b, k, median, cpu).toFixed(2)}x`,
  ];
  table([
    ['ratio', 'wall, medians', 'wall, per round', 'wall, mins', 'CPU, medians', 'goal', 'verdict (wall medians)'],
    ...GOALS.map(([a, b, k, goal]) => [
      `${a}/${b} ${k}`,
      ...row(a, b, k),
      goal ? `<= ${goal}x` : '',
      goal ? (ratio(a, b, k, median) <= goal ? 'PASS' : 'MISS') : '(reference)',
    ]),
  ]);
}

main();
