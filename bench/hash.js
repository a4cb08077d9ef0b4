#!/usr/bin/env node
/**
 * Hashing one large result file: core's hashFile (core/hash/sha256.ts, from
 * dist/, streamed in 1 MiB reads, no stat cache) against `openssl dgst -sha256`
 * and `sha256sum`, each as its own process under GNU time (wall seconds and peak
 * resident memory), the tools' order rotating every round, medians. The file is
 * written once (deterministic bytes) under bench/.work/hash/ and read once
 * before timing, so every tool reads it from the page cache.
 *
 * Goals (issue 14): within 1.2x of openssl, peak memory under 128 MiB.
 *
 * Usage: npm run build && node bench/hash.js [--mib 1024] [--rounds 5]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { arg, median } = require('./support');

const MIB = Number(arg('mib', 1024));
const ROUNDS = Number(arg('rounds', 5));
const REPO = path.resolve(__dirname, '..');
const SHA = path.join(REPO, 'dist', 'core', 'hash', 'sha256.js');
if (!fs.existsSync(SHA)) throw new Error('bench/hash.js: run `npm run build` first (it uses dist/)');
if (!fs.existsSync('/usr/bin/time')) throw new Error('bench/hash.js: needs GNU time at /usr/bin/time (Debian: apt-get install time)');

const dir = path.join(__dirname, '.work', 'hash');
const file = path.join(dir, `result-${MIB}MiB.bin`);
if (!fs.existsSync(file) || fs.statSync(file).size !== MIB * 1024 * 1024) {
  fs.mkdirSync(dir, { recursive: true });
  // Deterministic, incompressible bytes: SHA-256 in counter mode, 1 MiB at a time.
  const fd = fs.openSync(`${file}.tmp`, 'w');
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < MIB; i++) {
    for (let o = 0; o < block.length; o += 32) createHash('sha256').update(`${i}:${o}`).digest().copy(block, o);
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
}

const ours = `const r = require(${JSON.stringify(SHA)}).hashFile(process.argv[1]); process.stdout.write(r.sha256 + '\\n');`;
const TOOLS = {
  'hashFile (ours)': [process.execPath, '-e', ours, file],
  'openssl dgst -sha256': ['openssl', 'dgst', '-sha256', '-r', file],
  sha256sum: ['sha256sum', file],
};

function timed(argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...argv], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const [wall, kib] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, rssMiB: kib / 1024, digest: r.stdout.trim().split(/\s+/)[0] };
}

timed(TOOLS['openssl dgst -sha256']); // into the page cache
const names = Object.keys(TOOLS);
const runs = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length];
    runs[name].push(timed(TOOLS[name]));
  }
}
const digests = new Set(Object.values(runs).flatMap((rs) => rs.map((r) => r.digest)));
if (digests.size !== 1) throw new Error(`the tools disagree on the digest: ${[...digests].join(', ')}`);

const base = median(runs['openssl dgst -sha256'].map((r) => r.wall));
console.log(`${MIB} MiB, ${ROUNDS} rounds, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, Node ${process.version}`);
console.log('| tool | wall (median) | / openssl | peak memory |');
console.log('|---|---|---|---|');
for (const name of names) {
  const wall = median(runs[name].map((r) => r.wall));
  const rss = Math.max(...runs[name].map((r) => r.rssMiB));
  console.log(`| ${name} | ${wall.toFixed(2)} s | ${(wall / base).toFixed(2)}x | ${rss.toFixed(0)} MiB |`);
}
const oursWall = median(runs['hashFile (ours)'].map((r) => r.wall));
const oursRss = Math.max(...runs['hashFile (ours)'].map((r) => r.rssMiB));
const pass = oursWall / base <= 1.2 && oursRss < 128;
console.log(`goal (within 1.2x of openssl, under 128 MiB): ${pass ? 'PASS' : 'MISS'}`);
process.exitCode = pass ? 0 : 1;
