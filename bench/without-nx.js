#!/usr/bin/env node
/**
 * The pipeline without Nx: `specthis status` and `specthis run` (content-based,
 * from dist/) against Snakemake, on the copies bench/peers.js leaves behind
 * (bench/.work/peers-<N>/nx and .../snakemake, every entry fresh after its
 * rounds). Rows, each tool in turn, the order rotating every round, medians:
 *
 *   status  `specthis status --json` vs `snakemake -n` (both must find nothing to do)
 *   noop    `specthis run --parallel 2` vs `snakemake --cores 2`, everything fresh
 *   edit    a comment appended to the script peers.js edits, then the same two commands
 *   full    outputs and receipts (and .snakemake/) deleted, then the same two commands (--cases full)
 *
 * Usage: npm run build && node bench/peers.js --entries 5000 ... && node bench/without-nx.js [--entries 5000] [--rounds 3] [--cases status,noop,edit]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { envFor, editTarget, jobsOf } = require('./peers');
const { arg, median } = require('./support');

const SIZES = arg('entries', '5000').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '3'));
const ROWS = arg('cases', 'status,noop,edit').split(','); // not --rows: bench/peers.js reads that when it loads
const CLI = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(CLI)) throw new Error('bench/without-nx.js: run `npm run build` first (it uses dist/)');

const ranCount = (dir) => {
  const f = path.join(dir, 'bench-runs.log');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').length - 1 : 0;
};

function timed(dir, argv, check) {
  const before = ranCount(dir);
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, env: envFor(dir), encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const problem = check(r);
  if (problem) throw new Error(`${argv.join(' ')} in ${dir}: ${problem}\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return { seconds, ran: ranCount(dir) - before };
}

const exitZero = (r) => (r.status !== 0 ? `exit ${r.status}` : '');

for (const size of SIZES) {
  const base = path.join(__dirname, '.work', `peers-${size}`);
  const ours = path.join(base, 'nx');
  const theirs = path.join(base, 'snakemake');
  if (!fs.existsSync(ours) || !fs.existsSync(theirs)) throw new Error(`${base}: run bench/peers.js --entries ${size} first`);
  const target = editTarget(jobsOf(ours));
  const rows = {
    status: {
      prepare: () => {},
      ours: [process.execPath, CLI, 'status', '--json'],
      oursCheck: (r) => {
        if (r.status !== 0) return `exit ${r.status}`;
        const list = JSON.parse(r.stdout).entries;
        const notFresh = list.filter((e) => e.realization.state !== 'fresh');
        return list.length !== size ? `${list.length} entries, not ${size}` : notFresh.length ? `${notFresh.length} entries not fresh` : '';
      },
      theirs: ['snakemake', '-n'],
      theirsCheck: (r) => (r.status !== 0 ? `exit ${r.status}` : /Nothing to be done/.test(r.stdout + r.stderr) ? '' : 'it would run jobs'),
    },
    noop: {
      prepare: () => {},
      ours: [process.execPath, CLI, 'run', '--parallel', '2'],
      oursCheck: exitZero,
      theirs: ['snakemake', '--cores', '2'],
      theirsCheck: exitZero,
    },
    edit: {
      prepare: (dir, round) => fs.appendFileSync(path.join(dir, target.script), `# without-nx edit, round ${round + 1}\n`),
      ours: [process.execPath, CLI, 'run', '--parallel', '2'],
      oursCheck: exitZero,
      theirs: ['snakemake', '--cores', '2'],
      theirsCheck: exitZero,
    },
    full: {
      prepare: (dir) => {
        for (const rel of ['results', 'reports/tables', '.specthis/receipts', '.snakemake', 'bench-runs.log'])
          fs.rmSync(path.join(dir, rel), { recursive: true, force: true });
      },
      ours: [process.execPath, CLI, 'run', '--parallel', '2'],
      oursCheck: exitZero,
      theirs: ['snakemake', '--cores', '2'],
      theirsCheck: exitZero,
    },
  };
  console.log(
    `\n${size} entries, ${ROUNDS} rounds, load ${os.loadavg()[0].toFixed(1)}; edit: ${target.script} (${target.own} entries, ${target.downstream} downstream)\n`,
  );
  console.log('| row | specthis | snakemake | ratio | entries run: specthis / snakemake |');
  console.log('|---|---|---|---|---|');
  for (const row of ROWS) {
    const spec = rows[row];
    if (!spec) throw new Error(`unknown row ${row}`);
    const times = { ours: [], theirs: [] };
    let ran = { ours: 0, theirs: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
      for (const who of order) {
        const dir = who === 'ours' ? ours : theirs;
        spec.prepare(dir, round);
        const t = timed(dir, spec[who], spec[`${who}Check`]);
        times[who].push(t.seconds);
        ran[who] = t.ran;
      }
    }
    const a = median(times.ours);
    const b = median(times.theirs);
    const label = {
      status: '`specthis status` / `snakemake -n`',
      noop: 'noop: `specthis run` / `snakemake`',
      edit: 'edit, then run',
      full: 'full, from scratch',
    }[row];
    console.log(`| ${label} | ${a.toFixed(2)} s | ${b.toFixed(2)} s | ${(a / b).toFixed(2)}x | ${ran.ours} / ${ran.theirs} |`);
  }
}
