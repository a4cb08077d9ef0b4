#!/usr/bin/env node
/**
 * The SLURM runner through the real nx: N tiny compute entries (each a Python
 * script that writes its JSON) in one workspace, run with
 * `nx run-many -t compute --parallel=2 --skip-nx-cache` once with
 * `runner: local` and once with `runner: slurm`, alternating for a few rounds,
 * receipts removed between rounds so every entry runs. The per-entry overhead
 * of the cluster is (slurm - local) / N of the wall time.
 *
 * Usage: node bench/slurm-nx.js [--n 100] [--rounds 3]
 * Needs `npm run build`. Uses the cluster SLURM_CONF names; without one,
 * scripts/slurm-dev.sh's (started, then stopped again, when it is not up).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.join(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = opt('n', 100);
const ROUNDS = opt('rounds', 3);

const slurmDir = process.env.SPECTHIS_SLURM_DIR || '/tmp/specthis-slurm';
const env = { ...process.env, SLURM_CONF: process.env.SLURM_CONF || path.join(slurmDir, 'slurm.conf') };
let started = false;
if (spawnSync('scontrol', ['ping'], { env, stdio: 'ignore' }).status !== 0) {
  const r = spawnSync(path.join(REPO, 'scripts', 'slurm-dev.sh'), ['start'], { env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
  started = true;
}

const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-slurm-nx-'));
const write = (rel, text) => {
  fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
  fs.writeFileSync(path.join(ws, rel), text);
};
write('package.json', '{ "name": "slurm-nx-bench", "private": true }\n');
fs.mkdirSync(path.join(ws, 'node_modules', '@specthis'), { recursive: true });
fs.symlinkSync(REPO, path.join(ws, 'node_modules', '@specthis', 'nx'), 'dir');
fs.symlinkSync(path.join(REPO, 'node_modules', 'nx'), path.join(ws, 'node_modules', 'nx'), 'dir');
const blocks = [];
for (let i = 0; i < N; i++) {
  const name = `e${String(i).padStart(3, '0')}`;
  write(
    `scripts/${name}.py`,
    `import json, os\nos.makedirs('results/${name}', exist_ok=True)\njson.dump({'i': ${i}}, open('results/${name}/out.json', 'w'))\n`,
  );
  blocks.push(`### ${name}\n- Script: \`scripts/${name}.py\`\n- Output: \`results/${name}/out.json\`\n- Status: script ready\n`);
}
write('specs/compute-tiny.md', `---\nname: compute-tiny\nkind: compute\n---\n\nTiny entries.\n\n## Entries\n\n${blocks.join('\n')}`);
spawnSync('git', ['init', '-q'], { cwd: ws });
const nxPackage = require.resolve('nx/package.json', { paths: [REPO] });
const nxBin = path.join(path.dirname(nxPackage), require(nxPackage).bin.nx);

function run(runner) {
  write('nx.json', JSON.stringify({ plugins: [{ plugin: '@specthis/nx', options: { runner } }] }, null, 2));
  fs.rmSync(path.join(ws, '.specthis', 'receipts'), { recursive: true, force: true });
  fs.rmSync(path.join(ws, 'results'), { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [nxBin, 'run-many', '-t', 'compute', '--parallel=2', '--skip-nx-cache', '--outputStyle=static'], {
    cwd: ws,
    // NX_PARALLEL: the batched run executor does not see --parallel (executors/run/batch.ts).
    env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_PARALLEL: '2' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`nx run-many with runner ${runner} failed:\n${r.stdout.slice(-3000)}${r.stderr.slice(-2000)}`);
  return seconds;
}

const times = { local: [], slurm: [] };
try {
  for (let round = 0; round < ROUNDS; round++) for (const runner of ['local', 'slurm']) times[runner].push(run(runner));
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
  if (started) spawnSync(path.join(REPO, 'scripts', 'slurm-dev.sh'), ['stop'], { env, stdio: 'inherit' });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`${N} entries, nx run-many -t compute --parallel=2, ${ROUNDS} rounds alternating, load ${load}`);
console.log('| runner | median wall | per entry |');
console.log('|---|---:|---:|');
for (const runner of ['local', 'slurm']) {
  const m = median(times[runner]);
  console.log(`| ${runner} | ${m.toFixed(1)} s | ${((m / N) * 1000).toFixed(0)} ms |`);
}
const extra = ((median(times.slurm) - median(times.local)) / N) * 1000;
console.log(`SLURM overhead: ${extra.toFixed(0)} ms per entry (${(median(times.slurm) / median(times.local)).toFixed(2)}x the local run)`);
