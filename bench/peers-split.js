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
 *
 * Usage: node bench/peers-split.js [--entries 50,500,5000] [--runs 5]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { jobsOf, rewriteStatic, realize, envFor, ensureTools, NX_BIN } = require('./peers');

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(__dirname, '.work');
const argText = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SIZES = argText('entries', '50,500,5000').split(',').map(Number);
const RUNS = Number(argText('runs', '5'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-split-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
const say = (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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

function nxRun(dir, project, target) {
  const out = path.join(TMP, `split-${process.hrtime.bigint()}.jsonl`);
  const env = {
    ...envFor(dir),
    SPLIT_OUT: out,
    SPLIT_DIST: path.join(REPO, 'dist'),
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(TMP, 'hook.js')}`.trim(),
  };
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [NX_BIN, 'run', `${project}:${target}`, '--skip-nx-cache', '--excludeTaskDependencies'], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`nx run ${project}:${target} in ${dir} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  // Plugin workers may write their line after nx exits.
  for (let i = 0; i < 20 && !fs.existsSync(out); i++) spawnSync('sleep', ['0.1']);
  spawnSync('sleep', ['0.2']);
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map(JSON.parse);
  const tasks = lines.filter((l) => l.script === 'run-executor.js');
  if (tasks.length !== 1) throw new Error(`${tasks.length} task processes, expected 1`);
  const task = tasks[0];
  const nx = lines.find((l) => l.script === 'nx.js');
  if (!task || !nx) throw new Error(`no task or nx process in ${JSON.stringify(lines.map((l) => l.script))}`);
  return { wall, task, nx, others: lines.filter((l) => l !== task && l !== nx) };
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
    report[size] = {
      entries: model.jobs.length,
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
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
