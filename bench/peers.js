#!/usr/bin/env node
/**
 * The same pipeline under Nx with @specthis/nx, Snakemake and Make, side by side
 * (issue 14). From the workspace bench/generate.js writes, through core's own
 * analysis (loadWorkspace: the entries, their upstream entries, their commands),
 * it writes a Snakefile and a Makefile with one rule per entry: the entry's script,
 * its `Workflows:` files and its upstream entries' declared outputs as inputs, its
 * declared outputs as outputs, the command the entry runs (core/run/command.ts).
 * Before timing anything it checks that the jobs and edges of all of them match
 * core's model: Nx's task graph (`run-many --graph`), `snakemake -n --forceall` and
 * `--dag`, `make -n` and make's database (`make -pq`).
 *
 * Each tool works in its own copy under bench/.work/peers-<N>/ (outputs, receipts,
 * caches and state never mix):
 *
 *   nx         the inferred workspace: @specthis/nx infers the targets, @specthis/nx:run runs them
 *              (batched by default, executors/run/batch.ts: one process for a run's entries)
 *   nx-static  Nx's floor (a): the same targets as static project.json files (bench/generate.js's
 *              static/ copy), each entry target `nx:run-commands` running the same Python command
 *   nx-noop    Nx's floor (b): the same static targets, each running a local executor that
 *              returns success at once (tools/bench-noop in that copy)
 *   nx-upfront Nx's floor (c): nx-static without the `dependentTasksOutputFiles` inputs, so Nx hashes
 *              every task before running any (node_modules/nx/dist/src/hasher/hash-task.js defers
 *              a task whose inputs read its dependencies' outputs until they have run). Not the same
 *              meaning: an upstream result that changes no longer changes the hash. It measures what
 *              hashing one DAG level at a time costs. (Based on nx-static, not nx-noop: a do-nothing
 *              executor writes no outputs, so nx-noop's no-op has no upstream files to hash and no
 *              outputs to check against the cache.)
 *   snakemake  a Snakefile (Debian's snakemake 7.21, installed with apt-get when missing)
 *   make       a Makefile (GNU make)
 *
 * Rows (--rows, in this order each round; the order of the tools rotates every round):
 *
 *   full   from scratch: outputs, receipts, .nx/ and .snakemake/ deleted;
 *          `nx run-many -t compute export --parallel=2` vs `snakemake --cores 2` vs `make -j2`
 *   noop   everything fresh: the same commands again (nx with the daemon off and on),
 *          and `snakemake -n`, `make -q`
 *   edit   a comment appended to one script, then what a researcher reruns:
 *          `nx run-many -t compute export` (and `NX_LEGACY_AFFECTED=true nx affected -t compute
 *          export` after a second edit: Nx 24's task-grained affected selects nothing for a script
 *          edit, see README), `snakemake --cores 2`, `make -j2`
 *   fresh  fresh by receipts, Nx's cache empty: `.nx/cache` and `.nx/workspace-data` deleted,
 *          results and receipts kept, then `nx run-many`; vs `snakemake -n` / `make -q`
 *
 * Without `full` in --rows, each copy is first brought to the state a full run leaves: Snakemake,
 * Make, nx-static, nx-noop and nx-upfront by one full run (recorded as `full`), nx by realizing every entry in
 * one process (core's runEntry, the function the executor calls; writes results and receipts but
 * fills no Nx cache), and the rows run in the order fresh, noop, edit, so that the fresh row fills
 * Nx's cache for the rows after it.
 *
 * Every command runs with NX_DAEMON=false (unless the row says daemon on), NX_TUI=false,
 * NX_NO_CLOUD=true, NX_CACHE_DIRECTORY and NX_WORKSPACE_DATA_DIRECTORY inside the copy (Nx 24
 * otherwise shares one cache per repository identity under ~/.nx/, which would mix the copies),
 * and `python3` resolving to /usr/bin/python3 (Snakemake's own interpreter) for every tool.
 * Wall time and CPU time (user+sys of the process tree, from bash's `times`) per run; the load
 * average before each run. Results go to bench/.work/peers-results-<N>.json and as tables to stdout.
 *
 * Usage: node bench/peers.js [--entries 500,1000] [--rows full,noop,edit,fresh] [--rounds 3]
 *          [--full-rounds R] [--fresh-rounds R] [--tools nx,nx-static,nx-noop,nx-upfront,snakemake,make] [--check-only]
 *        node bench/peers.js --summary 500,1000,5000  (the README's tables, from the results files)
 *        node bench/peers.js --realize <workspace>   (internal: runEntry every entry in one process)
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { spawnSync, execFileSync } = require('node:child_process');
const { isDeepStrictEqual } = require('node:util');
const { linkSelf } = require('./generate');
const { arg, median } = require('./support');

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(__dirname, '.work');
const list = (name, dflt) => arg(name, dflt).split(',').filter(Boolean);
const SIZES = list('entries', '500,1000').map(Number);
const ROWS = list('rows', 'full,noop,edit,fresh');
const ROUNDS = Number(arg('rounds', '3'));
const FULL_ROUNDS = Number(arg('full-rounds', String(ROUNDS)));
const FRESH_ROUNDS = Number(arg('fresh-rounds', String(ROUNDS)));
const ALL_TOOLS = ['nx', 'nx-static', 'nx-noop', 'nx-upfront', 'snakemake', 'make'];
/** The copy whose entry targets do nothing: it reruns no script. */
const doesNothing = (tool) => tool === 'nx-noop';
const TOOLS = list('tools', ALL_TOOLS.join(','));
const CHECK_ONLY = process.argv.includes('--check-only');
for (const r of ROWS) if (!['full', 'noop', 'edit', 'fresh'].includes(r)) throw new Error(`unknown row ${r}`);
for (const t of TOOLS) if (!ALL_TOOLS.includes(t)) throw new Error(`unknown tool ${t}`);

const NX_BIN = path.join(path.dirname(require.resolve('nx/package.json', { paths: [REPO] })), 'dist', 'bin', 'nx.js');
const NX_VERSION = require(require.resolve('nx/package.json', { paths: [REPO] })).version;
const BIN = path.join(WORK, 'peers-bin'); // python3 -> /usr/bin/python3, first on PATH
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-peers-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

const loadavg = () => os.loadavg()[0];
const say = (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------- the model

/** One job per entry, from core's model: what the Snakefile, the Makefile and the check use. */
function jobsOf(root) {
  const { loadWorkspace } = require(path.join(REPO, 'dist', 'core', 'workspace', 'load'));
  const { entryCommand } = require(path.join(REPO, 'dist', 'core', 'run', 'command'));
  const model = loadWorkspace(root, { specsDir: 'specs' });
  const errors = model.specs.flatMap((s) => s.diagnostics.filter((d) => d.severity === 'error'));
  if (errors.length) throw new Error(`${root}: specs have errors, first: ${JSON.stringify(errors[0])}`);
  const jobs = [];
  const rules = new Set();
  for (const [name, e] of [...model.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (e.status !== 'script ready') throw new Error(`${name} is ${e.status}: generate without --tbd`);
    const upstream = model.upstream.get(name).entries;
    const inputs = [...new Set([e.script, ...e.workflows, ...upstream.flatMap((u) => model.entries.get(u).outputs)])];
    const rule = `${e.family}__${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (rules.has(rule)) throw new Error(`two entries give the rule name ${rule}`);
    rules.add(rule);
    for (const p of [...inputs, ...e.outputs])
      if (!/^[A-Za-z0-9_./-]+$/.test(p)) throw new Error(`${name}: path ${p} needs quoting this bench does not do`);
    jobs.push({ name, family: e.family, rule, script: e.script, upstream, inputs, outputs: e.outputs, command: entryCommand(e) });
  }
  const edges = new Set(jobs.flatMap((j) => j.upstream.map((u) => `${u} -> ${j.name}`)));
  return { jobs, edges };
}

// ---------------------------------------------------------------- the peers' files

function snakefile(jobs) {
  const q = (s) => JSON.stringify(s);
  const items = (xs) => xs.map((x) => `        ${q(x)},`);
  const lines = [
    '# Generated by bench/peers.js from the specs (core loadWorkspace): one rule per entry,',
    "# inputs the entry's script, Workflows: files and upstream entries' outputs.",
    '',
    'rule all:',
    '    input:',
    ...items(jobs.flatMap((j) => j.outputs)),
    '',
  ];
  for (const j of jobs)
    lines.push(
      `rule ${j.rule}:`,
      '    input:',
      ...items(j.inputs),
      '    output:',
      ...items(j.outputs),
      `    shell: ${q(j.command.replace(/[{}]/g, (c) => c + c))}`,
      '',
    );
  return lines.join('\n');
}

function makefile(jobs) {
  const lines = [
    '# Generated by bench/peers.js from the specs (core loadWorkspace): one rule per entry,',
    "# prerequisites the entry's script, Workflows: files and upstream entries' outputs.",
    'MAKEFLAGS += --no-builtin-rules',
    '.SUFFIXES:',
    '.PHONY: all',
    '',
    `all: ${jobs.flatMap((j) => j.outputs).join(' ')}`,
    '',
  ];
  for (const j of jobs)
    lines.push(
      `${j.outputs.join(' ')} ${j.outputs.length > 1 ? '&:' : ':'} ${j.inputs.join(' ')}`,
      `\t${j.command.replace(/\$/g, '$$$$')}`,
      '',
    );
  return lines.join('\n');
}

const NOOP_EXECUTOR = {
  'package.json': JSON.stringify({ name: 'bench-noop', version: '0.0.0', executors: './executors.json' }, null, 2) + '\n',
  'executors.json':
    JSON.stringify(
      { executors: { noop: { implementation: './noop.js', schema: './schema.json', description: 'does nothing' } } },
      null,
      2,
    ) + '\n',
  'schema.json': JSON.stringify({ version: 2, type: 'object', properties: { entry: { type: 'string' } } }, null, 2) + '\n',
  'noop.js':
    "'use strict';\n// bench floor: an executor that returns success at once\nmodule.exports = async function noop() {\n  return { success: true };\n};\n",
};

/**
 * Rewrites the static copy's entry targets: `nx:run-commands` with the entry's command, without
 * upstream outputs among the inputs for 'upfront', or the do-nothing executor ('noop').
 */
function rewriteStatic(dir, jobs, how) {
  const commands = new Map(jobs.map((j) => [j.name, j.command]));
  let n = 0;
  for (const file of execFileSync('git', ['ls-files', '*project.json'], { cwd: dir, encoding: 'utf8' }).trim().split('\n')) {
    const abs = path.join(dir, file);
    const project = JSON.parse(fs.readFileSync(abs, 'utf8'));
    for (const t of Object.values(project.targets)) {
      if (t.executor !== '@specthis/nx:run' || !t.options?.entry) continue;
      if (how !== 'noop') Object.assign(t, { executor: 'nx:run-commands', options: { command: commands.get(t.options.entry) } });
      else t.executor = './tools/bench-noop:noop';
      if (how === 'upfront') t.inputs = t.inputs.filter((input) => typeof input === 'string' || !('dependentTasksOutputFiles' in input));
      n++;
    }
    fs.writeFileSync(abs, JSON.stringify(project, null, 2) + '\n');
  }
  if (how === 'noop')
    for (const [f, text] of Object.entries(NOOP_EXECUTOR)) {
      fs.mkdirSync(path.join(dir, 'tools', 'bench-noop'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'tools', 'bench-noop', f), text);
    }
  if (n !== jobs.length) throw new Error(`${dir}: rewrote ${n} entry targets, expected ${jobs.length}`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `bench: entry targets as ${how}`);
}

function git(dir, ...args) {
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'ignore',
  });
}

// ---------------------------------------------------------------- running

function ensureTools() {
  fs.mkdirSync(BIN, { recursive: true });
  if (fs.existsSync('/usr/bin/python3') && !fs.existsSync(path.join(BIN, 'python3')))
    fs.symlinkSync('/usr/bin/python3', path.join(BIN, 'python3'));
  const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  if (TOOLS.includes('snakemake') && !have('snakemake')) {
    say('snakemake missing: apt-get install -y snakemake');
    const apt = (...a) => execFileSync('apt-get', a, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    try {
      apt('install', '-y', 'snakemake');
    } catch {
      apt('update');
      apt('install', '-y', 'snakemake');
    }
  }
  if (TOOLS.includes('make') && !have('make')) throw new Error('make is missing (apt-get install -y make)');
}

const versions = () => ({
  node: process.version,
  nx: NX_VERSION,
  snakemake: TOOLS.includes('snakemake') ? execFileSync('snakemake', ['--version'], { encoding: 'utf8' }).trim() : undefined,
  make: execFileSync('make', ['--version'], { encoding: 'utf8' }).split('\n')[0],
  python: execFileSync(path.join(BIN, 'python3'), ['--version'], { encoding: 'utf8' }).trim(),
  cores: os.cpus().length,
});

function envFor(dir, extra = {}) {
  return {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH}`,
    NX_DAEMON: 'false',
    NX_TUI: 'false',
    NX_NO_CLOUD: 'true',
    // The plugin's entries run as one Nx batch, which does not see --parallel (executors/run/batch.ts):
    // two at a time, like --parallel=2, `snakemake --cores 2` and `make -j2`.
    NX_PARALLEL: '2',
    NX_CACHE_DIRECTORY: path.join(dir, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: path.join(dir, '.nx', 'workspace-data'),
    ...extra,
  };
}

let runCount = 0;
/** Runs argv in dir; returns wall and CPU seconds of the process tree, the exit status, the load before. */
function run(dir, argv, { env = {}, ok = [0] } = {}) {
  const n = ++runCount;
  const log = path.join(TMP, `run-${n}.log`);
  const times = path.join(TMP, `times-${n}.txt`);
  const load = loadavg();
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', '"$@" >"$PEERS_LOG" 2>&1; rc=$?; times >"$PEERS_TIMES"; exit $rc', 'bash', ...argv], {
    cwd: dir,
    env: { ...envFor(dir, env), PEERS_LOG: log, PEERS_TIMES: times },
    stdio: 'ignore',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const text = fs.readFileSync(log, 'utf8');
  if (!ok.includes(r.status))
    throw new Error(`${argv.join(' ')} in ${dir} exited ${r.status}:\n${text.slice(-4000)}\n(the whole output: ${keepLog(log)})`);
  // bash `times`: the shell's own user/sys, then its children's (every process of the tree it reaped).
  const [, children] = fs.readFileSync(times, 'utf8').trim().split('\n');
  const cpu = children
    .split(/\s+/)
    .map((t) => t.match(/(\d+)m([\d.]+)s/))
    .reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
  fs.rmSync(log);
  return { seconds, cpu, load, status: r.status, text };
}
function keepLog(log) {
  const kept = path.join(WORK, `peers-failed-${path.basename(log)}`);
  fs.copyFileSync(log, kept);
  return kept;
}

const nxArgs = (...args) => [process.execPath, NX_BIN, ...args];
const RUN_MANY = ['run-many', '-t', 'compute', 'export', '--parallel=2'];
const ranCount = (dir) => {
  const f = path.join(dir, 'bench-runs.log');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').length - 1 : 0;
};
const rm = (dir, ...rels) => rels.forEach((r) => fs.rmSync(path.join(dir, r), { recursive: true, force: true }));
const isNx = (tool) => tool.startsWith('nx');

/** Stops the daemon of one copy (the one this bench started there), if any. */
function stopDaemon(dir) {
  spawnSync(process.execPath, [NX_BIN, 'daemon', '--stop'], { cwd: dir, env: envFor(dir, { NX_DAEMON: 'true' }), stdio: 'ignore' });
}

/** Digest of every output file (path and bytes): the tools that run the scripts must agree. */
function outputsDigest(dir) {
  const h = createHash('sha256');
  let files = 0;
  const walk = (rel) => {
    const abs = path.join(dir, rel);
    if (!fs.existsSync(abs)) return;
    for (const d of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = `${rel}/${d.name}`;
      if (d.isDirectory()) walk(r);
      else {
        h.update(`${r}\0`)
          .update(fs.readFileSync(path.join(dir, r)))
          .update('\0');
        files++;
      }
    }
  };
  walk('results');
  walk('reports/tables');
  return { files, digest: h.digest('hex').slice(0, 16) };
}

// ---------------------------------------------------------------- the check

/** Jobs and edges each tool sees, compared with core's model; throws on any difference. */
function check(size, copies, { jobs, edges }) {
  const names = new Set(jobs.map((j) => j.name));
  const byRule = new Map(jobs.map((j) => [j.rule, j.name]));
  const byOutput = new Map(jobs.flatMap((j) => j.outputs.map((o) => [o, j.name])));
  const seen = { model: { jobs: jobs.length, edges: edges.size } };
  const compare = (tool, gotJobs, gotEdges) => {
    const missing = [...edges].filter((e) => !gotEdges.has(e));
    const extra = [...gotEdges].filter((e) => !edges.has(e));
    if (!isDeepStrictEqual([...gotJobs].sort(), [...names].sort()) || missing.length || extra.length)
      throw new Error(
        `${tool}: ${gotJobs.size} jobs, ${gotEdges.size} edges; the model has ${names.size} and ${edges.size} (missing e.g. ${missing.slice(0, 3)}, extra e.g. ${extra.slice(0, 3)})`,
      );
    seen[tool] = { jobs: gotJobs.size, edges: gotEdges.size };
  };
  for (const tool of TOOLS.filter(isNx)) {
    const file = path.join(TMP, `graph-${tool}.json`);
    run(copies[tool], nxArgs(...RUN_MANY, `--graph=${file}`));
    const g = JSON.parse(fs.readFileSync(file, 'utf8')).tasks;
    const entryOf = (id) => id.match(/:(?:compute|export)--(.+)$/)?.[1];
    const tasks = Object.keys(g.tasks);
    const entryTasks = new Set(tasks.map(entryOf).filter(Boolean));
    const got = new Set();
    for (const [id, deps] of Object.entries(g.dependencies))
      for (const dep of deps) {
        const d = typeof dep === 'string' ? dep : dep.id; // Nx 24 writes {id}
        if (entryOf(id) && entryOf(d)) got.add(`${entryOf(d)} -> ${entryOf(id)}`);
      }
    compare(tool, entryTasks, got);
    seen[tool].tasks = tasks.length; // with the noop `compute`/`export` parents of each project
  }
  if (TOOLS.includes('snakemake')) {
    const dir = copies.snakemake;
    const dry = run(dir, ['snakemake', '-n', '--forceall']).text;
    const total = Number(dry.match(/^total\s+(\d+)/m)?.[1]);
    const dot = run(dir, ['snakemake', '--forceall', '--dag']).text;
    const label = new Map([...dot.matchAll(/^\s*(\d+)\[label = "([^"]+)"/gm)].map((m) => [m[1], m[2]]));
    const got = new Set();
    for (const m of dot.matchAll(/^\s*(\d+) -> (\d+)/gm)) {
      const [a, b] = [byRule.get(label.get(m[1])), byRule.get(label.get(m[2]))];
      if (a && b) got.add(`${a} -> ${b}`);
    }
    compare('snakemake', new Set([...label.values()].map((l) => byRule.get(l)).filter(Boolean)), got);
    if (total !== jobs.length + 1) throw new Error(`snakemake -n --forceall: ${total} jobs, expected ${jobs.length} and \`all\``);
    seen.snakemake.dryRunJobs = total;
  }
  if (TOOLS.includes('make')) {
    const dir = copies.make;
    const dry = run(dir, ['make', '-n']).text;
    const commands = dry.split('\n').filter((l) => l.startsWith('python3 ')).length;
    const db = run(dir, ['make', '-pq'], { ok: [1] }).text;
    const files = db.slice(db.indexOf('\n# Files\n'));
    const got = new Set();
    const targets = new Set();
    for (const m of files.matchAll(/^([^#\s:][^:\n]*?)(?: &)?: *(.*)$/gm)) {
      const target = byOutput.get(m[1]);
      if (!target) continue;
      targets.add(target);
      for (const p of m[2].split(/\s+/)) if (byOutput.has(p) && byOutput.get(p) !== target) got.add(`${byOutput.get(p)} -> ${target}`);
    }
    compare('make', targets, got);
    if (commands !== jobs.length) throw new Error(`make -n printed ${commands} commands, expected ${jobs.length}`);
    seen.make.dryRunCommands = commands;
  }
  say(`${size}: jobs and edges match: ${JSON.stringify(seen)}`);
  return seen;
}

// ---------------------------------------------------------------- setup

function setup(size) {
  const base = path.join(WORK, `peers-${size}`);
  say(`${size}: generating ${path.relative(REPO, base)}`);
  fs.rmSync(base, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(__dirname, 'generate.js'), '--entries', String(size), '--out', base], { stdio: 'ignore' });
  const model = jobsOf(path.join(base, 'inferred'));
  const copies = {};
  for (const tool of TOOLS) {
    const dir = path.join(base, tool);
    execFileSync('cp', ['-a', path.join(base, ['nx-static', 'nx-noop', 'nx-upfront'].includes(tool) ? 'static' : 'inferred'), dir]);
    copies[tool] = dir;
  }
  if (copies['nx-static']) rewriteStatic(copies['nx-static'], model.jobs, 'run-commands');
  if (copies['nx-noop']) rewriteStatic(copies['nx-noop'], model.jobs, 'noop');
  if (copies['nx-upfront']) rewriteStatic(copies['nx-upfront'], model.jobs, 'upfront');
  if (copies.snakemake) fs.writeFileSync(path.join(copies.snakemake, 'Snakefile'), snakefile(model.jobs));
  if (copies.make) fs.writeFileSync(path.join(copies.make, 'Makefile'), makefile(model.jobs));
  return { base, copies, model };
}

/** The script whose edit the `edit` row makes: the first compute script of the middle directory; its entries and their downstream. */
function editTarget(model) {
  const scripts = [...new Set(model.jobs.filter((j) => j.family === 'compute').map((j) => j.script))].sort();
  const areas = [...new Set(scripts.map((s) => path.dirname(s)))];
  const area = areas[Math.floor(areas.length / 2)];
  const script = scripts.find((s) => path.dirname(s) === area);
  const own = model.jobs.filter((j) => j.script === script).map((j) => j.name);
  const down = new Map();
  for (const j of model.jobs) for (const u of j.upstream) (down.get(u) ?? down.set(u, []).get(u)).push(j.name);
  const reach = new Set(own);
  const stack = [...own];
  while (stack.length)
    for (const d of down.get(stack.pop()) ?? [])
      if (!reach.has(d)) {
        reach.add(d);
        stack.push(d);
      }
  return { script, own: own.length, downstream: reach.size - own.length };
}

// ---------------------------------------------------------------- rows

/** Variants of each row: [label, tool, (dir, round) => argv, options]. */
function variants(row) {
  const v = [];
  const nx = (label, tool, args, env) => TOOLS.includes(tool) && v.push({ label, tool, argv: () => nxArgs(...args), env });
  if (row === 'full' || row === 'edit') {
    nx('nx run-many', 'nx', RUN_MANY);
    if (row === 'edit')
      nx('nx affected (NX_LEGACY_AFFECTED=true), after a 2nd edit', 'nx', ['affected', '-t', 'compute', 'export', '--parallel=2'], {
        NX_LEGACY_AFFECTED: 'true',
      });
    nx('nx-static run-many (run-commands)', 'nx-static', RUN_MANY);
    nx('nx-noop run-many (do-nothing executor)', 'nx-noop', RUN_MANY);
    nx('nx-upfront run-many (run-commands, hashed up front)', 'nx-upfront', RUN_MANY);
    if (TOOLS.includes('snakemake')) v.push({ label: 'snakemake --cores 2', tool: 'snakemake', argv: () => ['snakemake', '--cores', '2'] });
    if (TOOLS.includes('make')) v.push({ label: 'make -j2', tool: 'make', argv: () => ['make', '-j2'] });
  } else if (row === 'noop') {
    nx('nx run-many, daemon off', 'nx', RUN_MANY);
    nx('nx run-many, daemon on', 'nx', RUN_MANY, { NX_DAEMON: 'true' });
    nx('nx-static run-many', 'nx-static', RUN_MANY);
    nx('nx-noop run-many', 'nx-noop', RUN_MANY);
    nx('nx-upfront run-many', 'nx-upfront', RUN_MANY);
    if (TOOLS.includes('snakemake')) {
      v.push({ label: 'snakemake -n', tool: 'snakemake', argv: () => ['snakemake', '-n'] });
      v.push({ label: 'snakemake --cores 2', tool: 'snakemake', argv: () => ['snakemake', '--cores', '2'] });
    }
    if (TOOLS.includes('make')) {
      v.push({ label: 'make -q', tool: 'make', argv: () => ['make', '-q'] });
      v.push({ label: 'make -j2', tool: 'make', argv: () => ['make', '-j2'] });
    }
  } else if (row === 'fresh') {
    nx('nx run-many, empty Nx cache', 'nx', RUN_MANY);
    nx('nx-noop run-many, empty Nx cache', 'nx-noop', RUN_MANY);
    if (TOOLS.includes('snakemake')) v.push({ label: 'snakemake -n', tool: 'snakemake', argv: () => ['snakemake', '-n'] });
    if (TOOLS.includes('make')) v.push({ label: 'make -q', tool: 'make', argv: () => ['make', '-q'] });
  }
  return v;
}

/** What each variant expects to have rerun (lines appended to bench-runs.log), for the check after it. */
function measure(size, row, variant, copies, round, target, record) {
  const dir = copies[variant.tool];
  if (row === 'full') {
    rm(dir, 'results', 'reports/tables', '.specthis', '.nx', '.snakemake', 'bench-runs.log');
  }
  if (row === 'fresh' && isNx(variant.tool)) rm(dir, '.nx/cache', '.nx/workspace-data');
  if (row === 'edit')
    fs.appendFileSync(path.join(dir, target.script), `# bench edit, round ${round + 1}${variant.env ? ' (affected)' : ''}\n`);
  const daemon = variant.env?.NX_DAEMON === 'true';
  if (daemon) run(dir, variant.argv(), { env: variant.env }); // starts the daemon and warms it; not timed
  const before = ranCount(dir);
  const ok = variant.label === 'make -q' ? [0, 1] : [0];
  const r = run(dir, variant.argv(), { env: variant.env, ok });
  if (daemon) stopDaemon(dir);
  const ran = ranCount(dir) - before;
  if (variant.label === 'make -q' && r.status !== 0) throw new Error(`${size} ${row}: make -q says the Makefile is not up to date`);
  if (variant.label === 'snakemake -n' && !/Nothing to be done/.test(r.text))
    throw new Error(`${size} ${row}: snakemake -n has jobs to do:\n${r.text.slice(-2000)}`);
  const expect = {
    full: doesNothing(variant.tool) ? 0 : size,
    noop: 0,
    fresh: 0,
    edit: doesNothing(variant.tool) ? 0 : isNx(variant.tool) ? target.own : target.own + target.downstream,
  }[row];
  if (ran !== expect) say(`NOTE ${size} ${row} ${variant.label}: ${ran} entries ran, expected ${expect}`);
  const result = { round, seconds: r.seconds, cpu: r.cpu, load: r.load, ran };
  record(row, variant.label, result);
  say(
    `${size} ${row} r${round + 1} ${variant.label}: ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${ran} ran (load ${r.load.toFixed(2)})`,
  );
}

/** Every entry (or those named and their upstream) realized in one process (core's runEntry, as the executor runs it). */
function realize(root, names) {
  const { loadWorkspace } = require(path.join(REPO, 'dist', 'core', 'workspace', 'load'));
  const { runEntry } = require(path.join(REPO, 'dist', 'core', 'run', 'run-entry'));
  const model = loadWorkspace(root, { specsDir: 'specs' });
  const done = new Set();
  const order = [];
  const visit = (name) => {
    if (done.has(name)) return;
    done.add(name);
    for (const u of model.upstream.get(name).entries) visit(u);
    order.push(name);
  };
  (names ?? [...model.entries.keys()].sort()).forEach(visit);
  const quiet = { info() {}, warn() {}, error: (m) => console.error(m) };
  const sink = { write: () => true };
  return (async () => {
    for (const name of order) {
      const r = await runEntry(root, model, name, { log: quiet, stdout: sink, stderr: sink });
      if (!r.success) throw new Error(`${name}: ${r.outcome}`);
    }
  })();
}

function prepare(size, copies) {
  say(`${size}: no full row; bringing every copy to the state a full run leaves`);
  const records = [];
  for (const tool of TOOLS) {
    const dir = copies[tool];
    if (tool === 'nx') {
      const t = run(dir, [process.execPath, __filename, '--realize', dir]);
      say(`${size} prepare nx: every entry realized in one process in ${t.seconds.toFixed(1)} s (${ranCount(dir)} ran)`);
      if (!ROWS.includes('fresh')) run(dir, nxArgs(...RUN_MANY)); // fills Nx's cache for the noop and edit rows
      continue;
    }
    records.push([tool, variants('full').find((v) => v.tool === tool)]);
  }
  return records;
}

// ---------------------------------------------------------------- report

function tables(size, results, meta) {
  const out = [];
  const fmt = (s) => (s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2));
  for (const row of Object.keys(results)) {
    const rows = results[row];
    const ref = (pattern) => Object.keys(rows).find((l) => l.startsWith(pattern));
    const snake = ref(row === 'full' || row === 'edit' ? 'snakemake --cores' : 'snakemake -n');
    const mk = ref(row === 'full' || row === 'edit' ? 'make -j2' : 'make -q');
    const paired = (label, refLabel) => {
      if (!refLabel || !rows[refLabel]) return '';
      const byRound = new Map(rows[refLabel].map((r) => [r.round, r.seconds]));
      const ratios = rows[label].filter((r) => byRound.has(r.round)).map((r) => r.seconds / byRound.get(r.round));
      if (!ratios.length) return '';
      const m = median(ratios);
      return `${m >= 10 ? m.toFixed(0) : m >= 1 ? m.toFixed(1) : m.toFixed(2)}x`;
    };
    out.push(`\n${size} entries, ${row} (${meta.rows[row] ?? ''}):\n`);
    out.push('| tool | runs | wall, median | wall, min | CPU, median | entries run | vs snakemake | vs make | load |');
    out.push('|---|---|---|---|---|---|---|---|---|');
    for (const [label, rs] of Object.entries(rows)) {
      const loads = rs.map((r) => r.load);
      out.push(
        `| ${label} | ${rs.length} | ${fmt(median(rs.map((r) => r.seconds)))} s | ${fmt(Math.min(...rs.map((r) => r.seconds)))} s | ${fmt(median(rs.map((r) => r.cpu)))} s | ${[...new Set(rs.map((r) => r.ran))].join('/')} | ${paired(label, snake)} | ${paired(label, mk)} | ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} |`,
      );
    }
  }
  return out.join('\n');
}

/**
 * One compact table per size for bench/README.md, from bench/.work/peers-results-<N>.json:
 * a cell is `wall median (CPU median)`; the ratios are the median of per-round wall ratios
 * (runs of one round are minutes apart at most) and the ratio of CPU medians.
 */
function summary(sizes) {
  const fmt = (s) => (s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s >= 0.1 ? s.toFixed(2) : s.toFixed(3));
  const x = (r) => (r >= 100 ? '≫100x' : `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}x`);
  const ROWS_OUT = [
    ['full: from scratch', 'full', ['nx run-many'], 'snakemake --cores 2', 'make -j2'],
    [
      'noop: all fresh, daemon off',
      'noop',
      ['nx run-many, daemon off', 'nx-static run-many', 'nx-noop run-many', 'nx-upfront run-many'],
      'snakemake -n',
      'make -q',
    ],
    ['noop: all fresh, daemon on', 'noop', ['nx run-many, daemon on'], 'snakemake -n', 'make -q'],
    ['noop, really running', 'noop', [], 'snakemake --cores 2', 'make -j2'],
    ['edit: one script, then run-many', 'edit', ['nx run-many'], 'snakemake --cores 2', 'make -j2'],
    ['edit: then legacy affected', 'edit', ['nx affected (NX_LEGACY_AFFECTED=true), after a 2nd edit'], 'snakemake --cores 2', 'make -j2'],
    [
      'fresh by receipts, Nx cache empty',
      'fresh',
      ['nx run-many, empty Nx cache', '', 'nx-noop run-many, empty Nx cache', ''],
      'snakemake -n',
      'make -q',
    ],
  ];
  const FLOORS = {
    full: [
      'nx-static run-many (run-commands)',
      'nx-noop run-many (do-nothing executor)',
      'nx-upfront run-many (run-commands, hashed up front)',
    ],
    edit: [
      'nx-static run-many (run-commands)',
      'nx-noop run-many (do-nothing executor)',
      'nx-upfront run-many (run-commands, hashed up front)',
    ],
  };
  for (const size of sizes) {
    const { meta, results } = JSON.parse(fs.readFileSync(path.join(WORK, `peers-results-${size}.json`), 'utf8'));
    const cell = (row, label) => {
      const rs = label && results[row]?.[label];
      return rs ? `${fmt(median(rs.map((r) => r.seconds)))} s (${fmt(median(rs.map((r) => r.cpu)))})` : '';
    };
    const ratio = (row, a, b) => {
      const ra = results[row]?.[a];
      const rb = results[row]?.[b];
      if (!ra || !rb) return '';
      const byRound = new Map(rb.map((r) => [r.round, r.seconds]));
      const per = ra.filter((r) => byRound.has(r.round)).map((r) => r.seconds / byRound.get(r.round));
      const cpu = median(ra.map((r) => r.cpu)) / median(rb.map((r) => r.cpu));
      return per.length ? `${x(median(per))} (${x(cpu)})` : `– (${x(cpu)})`;
    };
    const loads = Object.values(results).flatMap((vs) => Object.values(vs).flatMap((rs) => rs.map((r) => r.load)));
    const runs = Object.values(results).flatMap((vs) => Object.values(vs).map((rs) => rs.length));
    console.log(
      `\n${size} entries, ${meta.edges} entry edges; ${meta.date.slice(0, 16).replace('T', ' ')} UTC; ${Math.min(...runs)}-${Math.max(...runs)} runs a cell; load average (1 min) before the runs ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}; edit: ${meta.rows.edit}\n`,
    );
    console.log(
      '| row | ours | floor (a): run-commands | floor (b): do-nothing executor | floor (c): (a) hashed up front | snakemake | make | ours / snakemake | ours / make |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [title, row, labels, snake, mk] of ROWS_OUT) {
      if (!results[row]) continue;
      const [ours, ...floors] = labels.length ? labels : [''];
      const fl = floors.length
        ? floors
        : labels.length === 1 && FLOORS[row] && title.startsWith(row === 'full' ? 'full' : 'edit: one')
          ? FLOORS[row]
          : [];
      const oursCell = cell(row, ours);
      console.log(
        `| ${title} | ${oursCell} | ${[0, 1, 2].map((k) => cell(row, fl[k])).join(' | ')} | ${cell(row, snake)} | ${cell(row, mk)} | ${ours ? ratio(row, ours, snake) : ''} | ${ours ? ratio(row, ours, mk) : ''} |`,
      );
    }
    const ran = (row, label) => results[row]?.[label]?.[0]?.ran;
    console.log(
      `\nEntries run in the edit row: ours ${ran('edit', 'nx run-many')}, snakemake ${ran('edit', 'snakemake --cores 2')}, make ${ran('edit', 'make -j2')}.`,
    );
  }
}

// ---------------------------------------------------------------- main

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist', 'index.js'))) throw new Error('dist/ missing: run `npm run build` first');
  linkSelf();
  ensureTools();
  const v = versions();
  say(
    `${JSON.stringify(v)}; sizes ${SIZES.join(', ')}; rows ${ROWS.join(', ')}; ${ROUNDS} rounds (full: ${FULL_ROUNDS}, fresh: ${FRESH_ROUNDS}); load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const size of SIZES) {
    const { base, copies, model } = setup(size);
    const target = editTarget(model);
    const meta = {
      date: new Date().toISOString(),
      versions: v,
      entries: model.jobs.length,
      edges: model.edges.size,
      edit: target,
      rows: {
        full: 'from scratch',
        noop: 'everything fresh',
        edit: `a comment appended to ${target.script} (${target.own} entries; ${target.downstream} downstream)`,
        fresh: 'fresh by receipts, Nx cache and workspace data deleted',
      },
    };
    meta.check = check(size, copies, model);
    if (CHECK_ONLY) continue;
    const results = {};
    const record = (row, label, r) => ((results[row] ??= {})[label] ??= []).push(r);
    const save = () => {
      fs.writeFileSync(path.join(WORK, `peers-results-${size}.json`), JSON.stringify({ meta, results }, null, 2) + '\n');
    };
    const order = ROWS.includes('full') ? ['full', 'noop', 'edit', 'fresh'] : ['fresh', 'noop', 'edit'];
    if (!ROWS.includes('full')) for (const [, variant] of prepare(size, copies)) measure(size, 'full', variant, copies, 0, target, record);
    const digests = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of order.filter((r) => ROWS.includes(r))) {
        if ((row === 'full' && round >= FULL_ROUNDS) || (row === 'fresh' && round >= FRESH_ROUNDS)) continue;
        const vs = variants(row);
        for (let k = 0; k < vs.length; k++) measure(size, row, vs[(k + round) % vs.length], copies, round, target, record);
        save();
      }
      for (const tool of TOOLS.filter((t) => !doesNothing(t))) {
        const d = outputsDigest(copies[tool]);
        (digests[tool] ??= []).push(d);
      }
      const all = Object.values(digests).map((ds) => ds[ds.length - 1]);
      if (!all.every((d) => isDeepStrictEqual(d, all[0])))
        throw new Error(`${size}: the tools' outputs differ: ${JSON.stringify(digests)}`);
      say(`${size} round ${round + 1}: outputs equal across ${Object.keys(digests).join(', ')}: ${JSON.stringify(all[0])}`);
    }
    meta.outputs = digests;
    save();
    console.log(tables(size, results, meta));
    say(
      `${size}: results in ${path.relative(REPO, path.join(WORK, `peers-results-${size}.json`))}; copies in ${path.relative(REPO, base)}`,
    );
  }
}

module.exports = { jobsOf, editTarget, rewriteStatic, realize, envFor, ensureTools, BIN, NX_BIN };
if (require.main !== module) {
  // required for its helpers (bench/peers-split.js)
} else if (process.argv[2] === '--summary') summary(process.argv[3].split(',').map(Number));
else if (process.argv[2] === '--realize')
  realize(path.resolve(process.argv[3])).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
else
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
