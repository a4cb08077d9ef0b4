'use strict';
/**
 * What the benches share: command-line values, the median, a free loopback
 * port, and a moto server stopped by PID however the bench ends.
 */
const net = require('node:net');
const http = require('node:http');
const { spawn } = require('node:child_process');

/** The value after `--<name>` on the command line (a string), else `fallback`. */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One HTTP request to moto: true when it answers 200. */
function answers200(url, method) {
  return new Promise((resolve) => {
    const req = http.request(url, { method }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
    req.end();
  });
}

/**
 * `python3 -m moto.server` on a free loopback port, in memory, with `buckets`
 * created; killed by PID when this process exits, whatever way it ends, and
 * never what keeps it from exiting.
 */
async function startMoto(buckets = []) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  // Not a reason to stay alive: without this, a bench that finished waited for moto forever.
  child.unref();
  process.on('exit', () => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await answers200(`${endpoint}/`, 'GET')) {
      for (const bucket of buckets)
        if (!(await answers200(`${endpoint}/${bucket}`, 'PUT'))) throw new Error(`moto did not create bucket ${bucket}`);
      return { endpoint, pid: child.pid };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto (pid ${child.pid}) did not answer on ${endpoint} within 30 s`);
}

module.exports = { arg, median, freePort, startMoto };
