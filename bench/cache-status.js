#!/usr/bin/env node
/**
 * `specthis cache status` over the 5,000-entry bench workspace (bench/generate.js)
 * with every realizable entry in the bucket, side by side with `specthis status`
 * (the same workspace, no cache) in one run, on one moto server on loopback.
 *
 *   1. generate the workspace; realize every entry whose script exists and is
 *      ready: write its declared outputs and the receipt the run would write
 *      (its live signature, upstream first), without running scripts;
 *   2. `specthis cache push --all` into moto (timed once: 2 objects per entry);
 *   3. delete every output and receipt (a fresh clone), then time, alternating,
 *      `specthis status` and `specthis cache status --json` (every pushed entry
 *      should say fetch), --rounds rounds, medians.
 *
 * Usage: npm run build && node bench/cache-status.js [--entries 5000] [--rounds 3]
 * Needs python3 with moto (on this machine image). Stops moto by PID however it ends.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { arg, median, startMoto } = require('./support');

const ENTRIES = Number(arg('entries', '5000'));
const ROUNDS = Number(arg('rounds', '3'));
const REPO = path.resolve(__dirname, '..');
const DIST = path.join(REPO, 'dist');
const CLI = path.join(DIST, 'cli', 'main.js');
if (!fs.existsSync(CLI)) throw new Error('bench/cache-status.js: run `npm run build` first (it uses dist/)');
const { loadWorkspace } = require(path.join(DIST, 'core', 'workspace', 'load.js'));
const { liveSignature } = require(path.join(DIST, 'core', 'state', 'signature.js'));
const { writeReceipt } = require(path.join(DIST, 'core', 'receipts', 'receipt.js'));
const { hashOutputs, ownedFiles } = require(path.join(DIST, 'core', 'receipts', 'outputs.js'));

/** Every entry whose script is there and ready gets the outputs and receipt a run would leave, upstream first. */
function realizeAll(root) {
  const model = loadWorkspace(root, { specsDir: 'specs' });
  const done = new Set();
  let realized = 0;
  const visit = (entry) => {
    if (done.has(entry.name)) return;
    done.add(entry.name);
    for (const up of model.upstream.get(entry.name)?.entries ?? []) if (model.entries.has(up)) visit(model.entries.get(up));
    if (entry.status !== 'script ready' || !entry.script || !fs.existsSync(path.join(root, entry.script))) return;
    for (const out of entry.outputs) {
      fs.mkdirSync(path.dirname(path.join(root, out)), { recursive: true });
      const body = out.endsWith('.json')
        ? JSON.stringify(Object.fromEntries(entry.keys.map((k, i) => [k, i])), null, 2)
        : `% ${entry.name}\n`;
      fs.writeFileSync(path.join(root, out), `${body}\n`);
    }
    const live = liveSignature(root, model, entry);
    const now = new Date().toISOString();
    writeReceipt(root, {
      entry: entry.name,
      signature: live.signature,
      command: live.command,
      exitCode: 0,
      start: now,
      end: now,
      durationMs: 0,
      host: os.hostname(),
      outputs: hashOutputs(root, ownedFiles(root, model.outputRoots.get(entry.name) ?? entry.outputs)),
      inputs: live.inputs,
      upstream: live.upstream,
    });
    realized++;
  };
  [...model.entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).forEach(visit);
  return { realized, entries: model.entries.size };
}

function specthis(root, env, ...args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`specthis ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}

async function main() {
  const shape = ['--entries', ENTRIES, '--specs', ENTRIES / 5, '--areas', Math.max(1, ENTRIES / 50)].map(String);
  execFileSync(process.execPath, [path.join(__dirname, 'generate.js'), ...shape], { stdio: ['ignore', 'ignore', 'inherit'] });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-bench-cache-status-'));
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(path.join(__dirname, '.work', 'inferred'), root, { recursive: true });
  const { realized, entries } = realizeAll(root);
  const moto = await startMoto(['bench']);
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    SPECTHIS_CACHE_URL: 's3://bench/team',
  };
  const push = specthis(root, env, 'cache', 'push', '--all');
  const pushed = (push.stdout.match(/^pushed /gm) ?? []).length;
  for (const dir of ['results', 'reports', 'figures', '.specthis']) fs.rmSync(path.join(root, dir), { recursive: true, force: true });
  const times = { status: [], cacheStatus: [] };
  let actions = {};
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['cacheStatus', 'status'] : ['status', 'cacheStatus'];
    for (const which of order) {
      const r = which === 'status' ? specthis(root, env, 'status', '--json') : specthis(root, env, 'cache', 'status', '--json');
      times[which].push(r.seconds);
      if (which === 'cacheStatus') {
        actions = {};
        for (const row of JSON.parse(r.stdout).entries) actions[row.action] = (actions[row.action] ?? 0) + 1;
      }
    }
  }
  const s = median(times.status);
  const c = median(times.cacheStatus);
  console.log(
    JSON.stringify(
      {
        entries,
        realized,
        pushed,
        pushSeconds: Number(push.seconds.toFixed(1)),
        cacheStatusActions: actions,
        statusSeconds: Number(s.toFixed(2)),
        cacheStatusSeconds: Number(c.toFixed(2)),
        ratio: Number((c / s).toFixed(2)),
        rounds: ROUNDS,
        load: os.loadavg()[0].toFixed(1),
      },
      null,
      2,
    ),
  );
  if (pushed !== realized || actions.fetch !== realized) {
    console.error(`bench/cache-status.js: expected ${realized} entries pushed and to fetch; got ${pushed} and ${actions.fetch}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
