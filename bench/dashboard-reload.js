/**
 * bench/dashboard.js, part (c): `specthis serve` in a child process; a node
 * http client reads /_specthis/events; each save is a writeFileSync of a spec
 * whose title changed, and the latency is from just before that write to the
 * arrival of the next `event: reload` chunk. Saves are spaced more than a
 * second apart (the server's debounce and rebuild finish in between).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const { profileReport } = require('./dashboard-profile');

const SPEC = path.join('specs', 'area-00', 'compute-a00-00.md');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server; resolves with its port once it prints its URL. */
function startServer(root, cli, cpuProf) {
  const flags = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [];
  const child = spawn(process.execPath, [...flags, cli, 'serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const collect = (chunk) => log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`specthis serve printed no URL within 120 s:\n${log.join('\n')}`)), 120_000);
    const look = () => {
      const m = log.join('\n').match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', look);
    child.on('exit', (code) => reject(new Error(`specthis serve exited ${code}:\n${log.join('\n')}`)));
  });
  return { child, log, port };
}

/** Resolves once the server says its watcher's initial scan is done ("watching <n> paths in <root> for changes"). */
async function watching(server, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (!server.log.some((l) => /watching .* for changes/.test(l))) {
    if (Date.now() > until) throw new Error(`specthis serve never said it was watching within ${timeoutMs} ms:\n${server.log.join('\n')}`);
    await sleep(20);
  }
}

/** An SSE client; `next()` resolves with the hrtime (ns) at which the next reload event arrived. */
function listen(port) {
  const waiters = [];
  let buffer = '';
  const req = http.get(
    { host: '127.0.0.1', port, path: '/_specthis/events', headers: { Host: `127.0.0.1:${port}`, Accept: 'text/event-stream' } },
    (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const at = process.hrtime.bigint();
        buffer += chunk;
        const events = buffer.split('\n\n');
        buffer = events.pop();
        for (const e of events) if (/^event: reload$/m.test(e)) waiters.splice(0).forEach((w) => w(at));
      });
    },
  );
  req.on('error', () => undefined);
  return {
    next: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reload event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((at) => (clearTimeout(timer), resolve(at)));
      }),
    close: () => req.destroy(),
  };
}

async function measureReload(root, cli, saves, cpuProf) {
  const file = path.join(root, SPEC);
  const original = fs.readFileSync(file, 'utf8');
  if (!/^title: .*$/m.test(original)) throw new Error(`${SPEC} has no title line to edit`);
  const server = startServer(root, cli, cpuProf);
  const exited = new Promise((resolve) => server.child.on('exit', resolve));
  let result;
  try {
    const port = await server.port;
    const events = listen(port);
    await watching(server, 120_000); // changes before the watcher's initial scan ends may be missed
    const save = (n) => {
      const text = original.replace(/^title: .*$/m, `title: Synthetic compute, revision ${n}`);
      const start = process.hrtime.bigint();
      fs.writeFileSync(file, text);
      return start;
    };
    // Warm-up, not counted: proves the watcher sees the file.
    save('warm-up');
    await events.next(15_000).catch((error) => {
      throw new Error(`the server never reloaded after a save: ${error.message}\n${server.log.join('\n')}`);
    });
    await sleep(1200);
    const logged = server.log.length;
    const latencies = [];
    let from;
    let to;
    for (let n = 1; n <= saves; n++) {
      const start = save(n);
      from ??= start;
      to = await events.next(30_000);
      latencies.push(Number(to - start) / 1e6);
      await sleep(1200);
    }
    events.close();
    const rebuilds = server.log.slice(logged).flatMap((l) => {
      const m = /rebuilt .* in (\d+) ms/.exec(l);
      return m ? [Number(m[1])] : [];
    });
    result = { latencies, rebuilds, log: server.log, window: [from, to] };
  } finally {
    fs.writeFileSync(file, original);
    server.child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
  // The profile is written when the server exits.
  if (cpuProf) result.profile = profileReport(cpuProf, ...result.window);
  return result;
}

module.exports = { measureReload };
