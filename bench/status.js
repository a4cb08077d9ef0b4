#!/usr/bin/env node
/**
 * "What is stale?" without Nx: `specthis status` (content-based, from dist/)
 * against `snakemake -n`, on the copies bench/peers.js leaves behind
 * (bench/.work/peers-<N>/nx and .../snakemake, every entry fresh after its
 * rounds), alternating which goes first, medians of --rounds. Both must find
 * nothing to do: specthis status says every entry is fresh, snakemake -n
 * "Nothing to be done".
 *
 * Usage: npm run build && node bench/peers.js --entries 5000 ... && node bench/status.js [--entries 5000] [--rounds 5]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { envFor } = require('./peers');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('entries', '5000').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '5'));
const CLI = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(CLI)) throw new Error('bench/status.js: run `npm run build` first (it uses dist/)');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timed(dir, argv, check) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, env: envFor(dir), encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const problem = check(r);
  if (problem) throw new Error(`${argv.join(' ')} in ${dir}: ${problem}\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return seconds;
}

for (const size of SIZES) {
  const base = path.join(__dirname, '.work', `peers-${size}`);
  if (!fs.existsSync(path.join(base, 'nx')) || !fs.existsSync(path.join(base, 'snakemake')))
    throw new Error(`${base}: run bench/peers.js --entries ${size} first`);
  const tools = {
    'specthis status (no Nx)': {
      dir: path.join(base, 'nx'),
      argv: [process.execPath, CLI, 'status', '--json'],
      check: (r) => {
        if (r.status !== 0) return `exit ${r.status}`;
        const list = JSON.parse(r.stdout).entries;
        const notFresh = list.filter((e) => e.realization.state !== 'fresh');
        return list.length !== size ? `${list.length} entries, not ${size}` : notFresh.length ? `${notFresh.length} entries not fresh` : '';
      },
    },
    'snakemake -n': {
      dir: path.join(base, 'snakemake'),
      argv: ['snakemake', '-n'],
      check: (r) => (r.status !== 0 ? `exit ${r.status}` : /Nothing to be done/.test(r.stdout + r.stderr) ? '' : 'it would run jobs'),
    },
  };
  const names = Object.keys(tools);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      times[name].push(timed(tools[name].dir, tools[name].argv, tools[name].check));
    }
  const base1 = median(times['snakemake -n']);
  console.log(`\n${size} entries, ${ROUNDS} rounds, load ${os.loadavg()[0].toFixed(1)}\n`);
  console.log('| tool | wall, median | wall, min | vs snakemake -n |');
  console.log('|---|---|---|---|');
  for (const n of names)
    console.log(
      `| ${n} | ${median(times[n]).toFixed(2)} s | ${Math.min(...times[n]).toFixed(2)} s | ${(median(times[n]) / base1).toFixed(2)}x |`,
    );
}
