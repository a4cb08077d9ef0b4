#!/usr/bin/env node
/**
 * Per-entry overhead of the SLURM runner (core/slurm/run-job.ts: srun, a
 * supervisor polling scontrol, the final state read) against the local runner
 * (core/run/execute.ts: `/bin/sh -c`), on N tiny commands at a fixed
 * concurrency, side by side in one run. Each job's time is the runner call's
 * wall time, from the call to its result, log file and all.
 *
 * --sbatch adds the mechanism we did not choose, for the record: `sbatch
 * --parsable` then `scontrol show job -o` every 100 ms until a final state
 * (no output streaming, so a lower bound of what it would cost).
 *
 * Usage: node bench/slurm.js [--n 100] [--concurrency 2] [--command true] [--sbatch]
 * Needs `npm run build` (`npm run bench:slurm` does both). Talks to the cluster
 * SLURM_CONF names; without one, to scripts/slurm-dev.sh's (started, then
 * stopped again, when it is not up).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile, spawnSync } = require('node:child_process');
const { promisify } = require('node:util');
const { Writable } = require('node:stream');

const REPO = path.join(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const N = Number(opt('n', 100));
const CONCURRENCY = Number(opt('concurrency', 2));
const COMMAND = opt('command', 'true');
const WITH_SBATCH = args.includes('--sbatch');

const dist = (p) => path.join(REPO, 'dist', p);
if (!fs.existsSync(dist('core/slurm/run-job.js'))) {
  console.error('bench/slurm.js: dist/ is missing: run `npm run build` first (or `npm run bench:slurm`)');
  process.exit(1);
}
const { execute } = require(dist('core/run/execute.js'));
const { runSlurmJob } = require(dist('core/slurm/run-job.js'));

const devDir = process.env.SPECTHIS_SLURM_DIR || '/tmp/specthis-slurm';
const env = { ...process.env, SLURM_CONF: process.env.SLURM_CONF || path.join(devDir, 'slurm.conf') };
const quiet = () => new Writable({ write: (_c, _e, done) => done() });

async function pool(n, concurrency, job) {
  const times = new Array(n);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await job(i);
        times[i] = performance.now() - t;
      }
    }),
  );
  return { times, totalMs: performance.now() - t0 };
}

const run = promisify(execFile);
async function sbatchJob(root) {
  const { stdout } = await run('sbatch', ['--parsable', `--chdir=${root}`, '--output=/dev/null', '--wrap', COMMAND], { env });
  const id = stdout.trim().split(';')[0];
  for (;;) {
    const { stdout: rec } = await run('scontrol', ['show', 'job', '-o', id], { env });
    const state = /JobState=(\S+)/.exec(rec)[1];
    if (!['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING'].includes(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

async function main() {
  let started = false;
  if (spawnSync('scontrol', ['ping'], { env, stdio: 'ignore' }).status !== 0) {
    if (process.env.SLURM_CONF)
      throw new Error(`the SLURM controller of SLURM_CONF=${process.env.SLURM_CONF} does not answer (scontrol ping)`);
    const r = spawnSync(path.join(REPO, 'scripts/slurm-dev.sh'), ['start'], { env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/slurm-dev.sh start failed');
    started = true;
  }
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-bench-slurm-')));
  const rows = [];
  try {
    const local = await pool(N, CONCURRENCY, async (i) => {
      const r = await execute({ root, entry: `bench-${i}`, command: COMMAND, stdout: quiet(), stderr: quiet() });
      if (r.exitCode !== 0) throw new Error(`local run ${i} exited ${r.exitCode}`);
    });
    rows.push(['local (/bin/sh -c)', local]);
    const slurm = await pool(N, CONCURRENCY, async (i) => {
      const r = await runSlurmJob({ root, entry: `bench-${i}`, command: COMMAND, stdout: quiet(), stderr: quiet(), env });
      if (!r.ok) throw new Error(`slurm run ${i}: ${r.message}`);
    });
    rows.push(['slurm (runSlurmJob, srun)', slurm]);
    if (WITH_SBATCH) {
      const sbatch = await pool(N, CONCURRENCY, async () => {
        const state = await sbatchJob(root);
        if (state !== 'COMPLETED') throw new Error(`sbatch job ended ${state}`);
      });
      rows.push(['sbatch --parsable + poll', sbatch]);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    if (started) spawnSync(path.join(REPO, 'scripts/slurm-dev.sh'), ['stop'], { env, stdio: 'inherit' });
  }

  const ms = (x) => x.toFixed(0).padStart(8);
  console.log(
    `\n${N} jobs of \`${COMMAND}\` at concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log(`${'runner'.padEnd(28)} ${'median ms'.padStart(9)} ${'p90 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'total s'.padStart(8)}`);
  for (const [name, { times, totalMs }] of rows)
    console.log(
      `${name.padEnd(28)} ${ms(quantile(times, 0.5)).padStart(9)} ${ms(quantile(times, 0.9))} ${ms(Math.max(...times))} ${(totalMs / 1000).toFixed(2).padStart(8)}`,
    );
}

main().catch((e) => {
  console.error(`bench/slurm.js: ${e.message}`);
  process.exit(1);
});
