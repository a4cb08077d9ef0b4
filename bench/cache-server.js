#!/usr/bin/env node
/**
 * The Nx cache server (core/cache-server) against a floor: `specthis
 * cache-server` over a directory store, and `python3 -m http.server` serving
 * the same bytes as a plain file, each in a process of its own on a free
 * loopback port. One Nx-shaped artefact (a gzip tar of 1 MB of incompressible
 * outputs plus `terminalOutput` and `code`) is uploaded once with the write
 * token; then --requests GETs of it (default 1,000) per server, with the read
 * token for ours, at concurrency 1 and --concurrency (default 8). Each GET is a
 * fresh connection (python's server speaks HTTP/1.0 and closes each one), timed
 * from request to the body's last byte; every body's length is checked and the
 * first and last bodies' SHA-256.
 *
 * Ours does per GET what the floor does not: the token check, reading the
 * record, reading the archive, its SHA-256 against the record, one log line.
 *
 * Usage: npm run build && node bench/cache-server.js [--requests 1000] [--concurrency 8] [--size-mb 1]
 * Uses dist/ (the build); needs python3.
 */
'use strict';
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawn } = require('node:child_process');
const { Header } = require('tar');
const { arg, freePort } = require('./support');

const REQUESTS = Number(arg('requests', '1000'));
const CONCURRENCY = Number(arg('concurrency', '8'));
const SIZE = Math.round(Number(arg('size-mb', '1')) * 1024 * 1024);
const CLI = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(CLI)) {
  console.error(`bench/cache-server.js: ${path.relative(process.cwd(), CLI)} is missing; build first: npm run build`);
  process.exit(1);
}
const WORK = path.join(__dirname, '.work', 'cache-server');
const WRITE = randomBytes(32).toString('hex');
const READ = randomBytes(32).toString('hex');
const HASH = '14216986442193627258';

/** What Nx 24 uploads: the outputs, then `terminalOutput` and `code` (4 bytes, big-endian), one gzip member. */
function nxArchive(size) {
  const blocks = [];
  const member = (name, body) => {
    const h = new Header({ path: name, mode: 0o644, size: body.length, type: 'File', mtime: new Date(0), uid: 0, gid: 0 });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  };
  // A seeded stream of bytes: the same artefact every run.
  let x = createHash('sha256').update('bench/cache-server').digest();
  const chunks = [];
  for (let n = 0; n < size; n += x.length) chunks.push((x = createHash('sha256').update(x).digest()));
  member('dist/outputs.bin', Buffer.concat(chunks).subarray(0, size));
  member('terminalOutput', Buffer.from('> built\n'));
  member('code', Buffer.alloc(4));
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks), { level: 1 });
}

/** A child process, stopped by PID whatever way this one ends; resolves once `ready(output)` says so. */
function start(cmd, args, options, ready) {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  process.on('exit', () => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not come up: ${output}`)), 30_000);
    const take = (d) => {
      output += d.toString();
      if (ready(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${output}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

function get(port, urlPath, headers) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function put(port, urlPath, body, token) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Length': body.length },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` GETs, `concurrency` at a time; latencies in ms and the wall time. */
async function load(port, urlPath, headers, count, concurrency, expected) {
  const latencies = [];
  let next = 0;
  let first;
  let last;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = await get(port, urlPath, headers);
      if (r.status !== 200 || r.body.length !== expected.length) throw new Error(`GET ${urlPath}: ${r.status}, ${r.body.length} bytes`);
      if (i === 0) first = r.body;
      if (i === count - 1) last = r.body;
      latencies.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const body of [first, last]) if (!body.equals(expected)) throw new Error(`GET ${urlPath}: the bytes differ from the artefact`);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), rps: count / wall, mbps: (count * expected.length) / wall / 1024 / 1024 };
}

async function main() {
  fs.rmSync(WORK, { recursive: true, force: true });
  const storeDir = path.join(WORK, 'store');
  const floorDir = path.join(WORK, 'floor');
  fs.mkdirSync(storeDir, { recursive: true });
  fs.mkdirSync(path.join(floorDir, 'v1', 'cache'), { recursive: true });
  const artefact = nxArchive(SIZE);
  fs.writeFileSync(path.join(floorDir, 'v1', 'cache', HASH), artefact);

  const oursPort = await freePort();
  const ours = await start(
    process.execPath,
    [CLI, 'cache-server', '--store', storeDir, '--port', String(oursPort)],
    { env: { ...process.env, SPECTHIS_CACHE_SERVER_WRITE_TOKENS: WRITE, SPECTHIS_CACHE_SERVER_READ_TOKENS: READ } },
    (out) => out.includes('Ctrl-C stops it'),
  );
  // The log goes to a pipe that is drained (and dropped) as a terminal would be.
  ours.stdout.resume();
  const floorPort = await freePort();
  const floor = await start(
    'python3',
    ['-u', '-m', 'http.server', String(floorPort), '--bind', '127.0.0.1', '--directory', floorDir],
    {},
    (out) => out.includes('Serving HTTP'),
  );
  floor.stdout.resume();
  floor.stderr.resume();
  try {
    const stored = await put(oursPort, `/v1/cache/${HASH}`, artefact, WRITE);
    if (stored !== 200) throw new Error(`PUT answered ${stored}`);
    const stored2 = fs.readdirSync(path.join(storeDir, 'nx', HASH));
    const rows = [];
    for (const concurrency of [1, CONCURRENCY]) {
      // Warm both (page cache, JIT), then measure; the floor first, then ours, then the floor again is not needed:
      // each side gets the same client, the same count and a warm-up of its own.
      await load(floorPort, `/v1/cache/${HASH}`, {}, 50, concurrency, artefact);
      const f = await load(floorPort, `/v1/cache/${HASH}`, {}, REQUESTS, concurrency, artefact);
      await load(oursPort, `/v1/cache/${HASH}`, { Authorization: `Bearer ${READ}` }, 50, concurrency, artefact);
      const o = await load(oursPort, `/v1/cache/${HASH}`, { Authorization: `Bearer ${READ}` }, REQUESTS, concurrency, artefact);
      rows.push({ concurrency, ours: o, floor: f });
    }
    const ms = (v) => `${v.toFixed(2)} ms`;
    console.log(
      `${REQUESTS} GETs of a ${(artefact.length / 1024 / 1024).toFixed(2)} MiB artefact (stored as nx/${HASH}/${stored2[0].slice(0, 12)}…), ` +
        `Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
    console.log('| concurrency | server | p50 | p99 | requests/s | MiB/s |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) {
      for (const [name, v] of [
        ['specthis cache-server (directory store)', r.ours],
        ['python3 -m http.server (floor)', r.floor],
      ])
        console.log(`| ${r.concurrency} | ${name} | ${ms(v.p50)} | ${ms(v.p99)} | ${v.rps.toFixed(0)} | ${v.mbps.toFixed(0)} |`);
    }
  } finally {
    await Promise.all([stop(ours), stop(floor)]);
    fs.rmSync(WORK, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench/cache-server.js: ${error.message}`);
  process.exitCode = 1;
});
