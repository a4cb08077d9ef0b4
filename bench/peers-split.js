#!/usr/bin/env node
/**
 * What one task of `@specthis/nx:run` costs inside Nx, and where (issue 14): for
 * workspaces of 50, 500 and 5,000 entries (bench/generate.js, same shape), times
 * `nx run <project>:compute--<entry> --skip-nx-cache --excludeTaskDependencies` (daemon off, project graph
 * warm) with a `--require` hook in every Node process. In the task's own process
 * (Nx forks `run-executor.js` per task) the hook wraps core's functions as they
 * are loaded and records, in that process:
 *
 *   boot        process start until Nx calls our executor: Node, Nx's modules, Nx reading
 *               the cached project graph and resolving the executor, our modules loading
 *   load        loadWorkspace (list, read and parse every spec, analyzeWorkspace)
 *   classify    classify (the live signature: hashing the entry's inputs and upstream receipts)
 *   certify     runCertification (the lock)
 *   command     execute: the Python command, with its shell and sentinel
 *   verify      verifyOutputs
 *   receipt     hashOutputs + writeReceipt (+ deleteReceipt before the run)
 *   rest        the rest of runEntry and the executor, then until the process exits
 *
 * For two entries per size: `root` (no upstream) and `deep` (the most upstream entries),
 * each `fresh` (receipt matches: the executor classifies and returns) and `stale` (receipt
 * deleted: it runs the command). For comparison, the same task in the static copy with
 * the do-nothing executor of bench/peers.js (`noop`): Nx's own cost of a forked task.
 * Also the `nx` process itself (project graph, hashing, scheduling) for the one task.
 * For sizes up to --full-max (1,000), one whole `run-many -t compute export --parallel=2`
 * from scratch with the hook, ours and the do-nothing executor's: CPU by process (nx, the
 * plugin workers, the task processes, what is not Node: shells, Python) and the task
 * processes' split summed over all tasks.
 *
 * Usage: node bench/peers-split.js [--entries 50,500,5000] [--runs 5] [--full-max 1000]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { jobsOf, rewriteStatic, realize, envFor, ensureTools, NX_BIN } = require('./peers');
const { arg, median } = require('./support');

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(__dirname, '.work');
const SIZES = arg('entries', '50,500,5000').split(',').map(Number);
const RUNS = Number(arg('runs', '5'));
const FULL_MAX = Number(arg('full-max', '1000')); // sizes up to this get a hooked full run-many too
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-split-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
const say = (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Preloaded into every Node process of a run (NODE_OPTIONS=--require). */
function hook() {
  const Module = require('node:module');
  const { performance } = require('node:perf_hooks');
  const ms = {};
  const add = (k, v) => (ms[k] = (ms[k] ?? 0) + v);
  const marks = {};
  const wrap = (exports, key, label) => {
    const f = exports[key];
    if (typeof f !== 'function') return;
    exports[key] = function (...args) {
      const start = performance.now();
      if (label === 'executor') marks.executorStart = start;
      const r = f.apply(this, args);
      const done = () => {
        add(label, performance.now() - start);
        if (label === 'executor') marks.executorEnd = performance.now();
      };
      if (r && typeof r.then === 'function') return r.finally(done);
      done();
      return r;
    };
  };
  const WRAP = {
    'executors/run/executor.js': [['default', 'executor']],
    'core/workspace/load.js': [['loadWorkspace', 'load']],
    'core/run/run-entry.js': [['runEntry', 'runEntry']],
    'core/state/realization.js': [['classify', 'classify']],
    'core/run/certification.js': [['runCertification', 'certify']],
    'core/run/execute.js': [['execute', 'command']],
    'core/run/verify.js': [['verifyOutputs', 'verify']],
    'core/receipts/outputs.js': [['hashOutputs', 'receipt']],
    'core/receipts/receipt.js': [
      ['writeReceipt', 'receipt'],
      ['deleteReceipt', 'receipt'],
    ],
  };
  const dist = `${process.env.SPLIT_DIST}/`;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    const ours = filename.startsWith(dist) ? filename.slice(dist.length) : undefined;
    const start = performance.now();
    const r = compile.call(this, content, filename);
    if (ours === 'executors/run/executor.js') add('requireExecutor', performance.now() - start);
    for (const [key, label] of (ours && WRAP[ours]) || []) wrap(this.exports, key, label);
    return r;
  };
  process.once('exit', () => {
    const cpu = process.cpuUsage();
    const line = {
      script: require('node:path').basename(process.argv[1] || ''),
      uptime: performance.now(),
      cpu: (cpu.user + cpu.system) / 1e3,
      ms,
      marks,
    };
    require('node:fs').appendFileSync(process.env.SPLIT_OUT, JSON.stringify(line) + '\n');
  });
}

/** Runs nx with the hook in every Node process; returns the wall time (ms) and each process's line. */
function hooked(dir, args) {
  const out = path.join(TMP, `split-${process.hrtime.bigint()}.jsonl`);
  const env = {
    ...envFor(dir),
    SPLIT_OUT: out,
    SPLIT_DIST: path.join(REPO, 'dist'),
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(TMP, 'hook.js')}`.trim(),
  };
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', '"$@"; rc=$?; times >&2; exit $rc', 'bash', process.execPath, NX_BIN, ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0)
    throw new Error(`nx ${args.join(' ')} in ${dir} exited ${r.status}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  // Plugin workers may write their line after nx exits.
  for (let i = 0; i < 20 && !fs.existsSync(out); i++) spawnSync('sleep', ['0.1']);
  spawnSync('sleep', ['0.2']);
  const [, children] = r.stderr.trim().split('\n').slice(-2);
  const treeCpu = children
    .split(/\s+/)
    .map((t) => t.match(/(\d+)m([\d.]+)s/))
    .reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
  return { wall, treeCpu, lines: fs.readFileSync(out, 'utf8').trim().split('\n').map(JSON.parse) };
}

function nxRun(dir, project, target) {
  const { wall, lines } = hooked(dir, ['run', `${project}:${target}`, '--skip-nx-cache', '--excludeTaskDependencies']);
  const tasks = lines.filter((l) => l.script === 'run-executor.js');
  if (tasks.length !== 1) throw new Error(`${tasks.length} task processes, expected 1`);
  const task = tasks[0];
  const nx = lines.find((l) => l.script === 'nx.js');
  if (!nx) throw new Error(`no nx process in ${JSON.stringify(lines.map((l) => l.script))}`);
  return { wall, task, nx, others: lines.filter((l) => l !== task && l !== nx) };
}

/** A whole `run-many` from scratch with the hook: CPU by process role, and the task processes' split summed over every task. */
function fullRun(dir) {
  for (const rel of ['results', 'reports/tables', '.specthis', '.nx', 'bench-runs.log'])
    fs.rmSync(path.join(dir, rel), { recursive: true, force: true });
  const { wall, treeCpu, lines } = hooked(dir, ['run-many', '-t', 'compute', 'export', '--parallel=2']);
  const tasks = lines.filter((l) => l.script === 'run-executor.js');
  const sum = (ls, f) => ls.reduce((s, l) => s + f(l), 0);
  const node = sum(lines, (l) => l.cpu);
  const splits = tasks.map(split);
  const keys = Object.keys(splits[0] ?? {});
  return {
    wall,
    tasks: tasks.length,
    cpu: {
      tree: treeCpu,
      nx: sum(
        lines.filter((l) => l.script === 'nx.js'),
        (l) => l.cpu,
      ),
      pluginWorkers: sum(
        lines.filter((l) => l.script === 'plugin-worker.js'),
        (l) => l.cpu,
      ),
      taskProcesses: sum(tasks, (l) => l.cpu),
      otherNode: sum(
        lines.filter((l) => !['nx.js', 'plugin-worker.js', 'run-executor.js'].includes(l.script)),
        (l) => l.cpu,
      ),
      notNode: treeCpu - node, // the commands' shells and Python, the sentinels, git
    },
    taskWallSums: Object.fromEntries(keys.map((k) => [k, sum(splits, (x) => x[k])])),
  };
}

/** The split of the task process, in ms: boot, our parts, and the rest. */
function split(task) {
  const m = task.ms;
  const ours = ['load', 'classify', 'certify', 'command', 'verify', 'receipt'];
  const inExecutor = ours.reduce((s, k) => s + (m[k] ?? 0), 0);
  return {
    process: task.uptime,
    cpu: task.cpu,
    boot: task.marks.executorStart ?? task.uptime,
    requireExecutor: m.requireExecutor ?? 0,
    ...Object.fromEntries(ours.map((k) => [k, m[k] ?? 0])),
    rest: task.uptime - (task.marks.executorStart ?? task.uptime) - inExecutor,
  };
}

async function main() {
  ensureTools();
  fs.writeFileSync(path.join(TMP, 'hook.js'), `'use strict';\n(${hook})();\n`);
  const report = {};
  for (const size of SIZES) {
    const base = path.join(WORK, `split-${size}`);
    say(`${size}: generating ${path.relative(REPO, base)}`);
    fs.rmSync(base, { recursive: true, force: true });
    execFileSync(process.execPath, [path.join(__dirname, 'generate.js'), '--entries', String(size), '--out', base], { stdio: 'ignore' });
    const dir = path.join(base, 'inferred');
    const noopDir = path.join(base, 'static');
    const model = jobsOf(dir);
    rewriteStatic(noopDir, model.jobs, 'noop');
    const root = model.jobs.find((j) => j.upstream.length === 0 && j.family === 'compute');
    const deep = model.jobs.reduce((a, b) => (b.upstream.length > a.upstream.length ? b : a));
    await realize(dir, [root.name, deep.name]);
    const { loadWorkspace } = require(path.join(REPO, 'dist', 'core', 'workspace', 'load'));
    const { projectNameFor } = require(path.join(REPO, 'dist', 'plugin', 'project-name'));
    const m = loadWorkspace(dir, { specsDir: 'specs' });
    const project = (j) => projectNameFor(path.posix.dirname(m.entries.get(j.name).specFile));
    const target = (j) => `${j.family}--${j.name}`;
    // Warm: the project graph is computed once per run-many, so the task graph and plugin caches are built first.
    nxRun(dir, project(root), target(root));
    nxRun(noopDir, project(root), target(root));
    const cases = [
      ['root fresh', dir, root, false],
      ['root stale', dir, root, true],
      ['deep fresh', dir, deep, false],
      ['deep stale', dir, deep, true],
      ['noop', noopDir, root, false],
    ];
    const runs = Object.fromEntries(cases.map(([label]) => [label, []]));
    for (let r = 0; r < RUNS; r++)
      for (const [label, d, j, stale] of cases) {
        if (stale) fs.rmSync(path.join(d, '.specthis', 'receipts', `${j.name}.json`));
        const res = nxRun(d, project(j), target(j));
        runs[label].push({
          wall: res.wall,
          nxCpu: res.nx.cpu,
          nxUptime: res.nx.uptime,
          othersCpu: res.others.reduce((s, o) => s + o.cpu, 0),
          ...split(res.task),
        });
        say(
          `${size} ${label} r${r + 1}: nx run ${res.wall.toFixed(0)} ms; task process ${res.task.uptime.toFixed(0)} ms (load ${os.loadavg()[0].toFixed(2)})`,
        );
      }
    let full;
    if (size <= FULL_MAX) {
      say(`${size}: a full run-many with the hook, ours and the do-nothing executor`);
      full = { nx: fullRun(dir), noop: fullRun(noopDir) };
      say(`${size}: ${JSON.stringify(full)}`);
    }
    report[size] = {
      entries: model.jobs.length,
      full,
      root: { name: root.name, upstream: root.upstream.length },
      deep: { name: deep.name, upstream: deep.upstream.length },
      medians: Object.fromEntries(
        Object.entries(runs).map(([label, rs]) => [
          label,
          Object.fromEntries(Object.keys(rs[0]).map((k) => [k, median(rs.map((x) => x[k]))])),
        ]),
      ),
      runs,
      load: os.loadavg(),
    };
    fs.writeFileSync(path.join(WORK, 'peers-split.json'), JSON.stringify(report, null, 2) + '\n');
  }
  const cols = [
    'wall',
    'nxCpu',
    'process',
    'cpu',
    'boot',
    'requireExecutor',
    'load',
    'classify',
    'certify',
    'command',
    'verify',
    'receipt',
    'rest',
  ];
  console.log(`| entries | case | ${cols.join(' | ')} |`);
  console.log(`|---|---|${cols.map(() => '---|').join('')}`);
  for (const [size, r] of Object.entries(report))
    for (const [label, med] of Object.entries(r.medians))
      console.log(`| ${size} | ${label} | ${cols.map((c) => `${med[c].toFixed(0)}`).join(' | ')} |`);
  console.log('(ms, medians; wall and nxCpu: the whole `nx run`; process, cpu and the rest: the forked task process)');
  for (const [size, r] of Object.entries(report)) {
    if (!r.full) continue;
    for (const [label, f] of Object.entries(r.full)) {
      const c = f.cpu;
      const t = f.taskWallSums;
      console.log(
        `${size} entries, full run-many, ${label}: ${(f.wall / 1000).toFixed(1)} s wall, ${f.tasks} task processes; CPU s: tree ${(c.tree / 1000).toFixed(1)}, nx ${(c.nx / 1000).toFixed(1)}, plugin workers ${(c.pluginWorkers / 1000).toFixed(1)}, task processes ${(c.taskProcesses / 1000).toFixed(1)}, other Node ${(c.otherNode / 1000).toFixed(1)}, not Node ${(c.notNode / 1000).toFixed(1)}; task process wall summed, s: ${Object.entries(
          t,
        )
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
          .join(', ')}`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
