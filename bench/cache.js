#!/usr/bin/env node
/**
 * The results cache against the AWS CLI, side by side on one moto server
 * (`python3 -m moto.server`, in memory, on a free loopback port):
 *
 *   (a) one 200 MB result file (random bytes: results are often already compressed)
 *   (b) a result directory of 2,000 files of 10 KB (JSON-like text)
 *
 * push = pushEntry (tar.gz with per-file SHA-256, upload, manifest) vs `aws s3 cp`
 * (`--recursive` for b); fetch = fetchEntry (download, archive digest, allow-list
 * extraction with every file's digest, move into place, receipt) vs `aws s3 cp`
 * back. Goals: (a) within 1.25x of `aws s3 cp`, (b) at least 5x faster than
 * `aws s3 cp --recursive`. Medians of --rounds rounds (default 3); the order of
 * ours and theirs alternates every round so machine noise hits both alike.
 *
 * Usage: npx tsc -p tsconfig.json && node bench/cache.js [--rounds 3] [--gzip-level 1]
 *        [--part-mb 16] [--queue 4] [--only a|b]   (defaults: the library's)
 * Uses dist/ (the build); needs python3 with moto and the AWS CLI (v1 or v2).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { arg, median, startMoto } = require('./support');

const ROUNDS = Number(arg('rounds', '3'));
const GZIP_LEVEL = arg('gzip-level') === undefined ? undefined : Number(arg('gzip-level'));
const PART_MB = arg('part-mb') === undefined ? undefined : Number(arg('part-mb'));
const QUEUE = arg('queue') === undefined ? undefined : Number(arg('queue'));
const ONLY = arg('only', '');
const GOALS = { a: { ratio: 1.25, text: 'ours within 1.25x of aws' }, b: { ratio: 1 / 5, text: 'ours at least 5x faster than aws' } };

const DIST = path.join(__dirname, '..', 'dist', 'core', 'cache', 'index.js');
if (!fs.existsSync(DIST)) {
  console.error(`bench/cache.js: ${path.relative(process.cwd(), DIST)} is missing; build first: npx tsc -p tsconfig.json`);
  process.exit(1);
}
const cache = require(DIST);
const { hashOutputs, ownedFiles } = require(path.join(__dirname, '..', 'dist', 'core', 'receipts', 'outputs.js'));
const { writeReceipt } = require(path.join(__dirname, '..', 'dist', 'core', 'receipts', 'receipt.js'));

const WORK = path.join(__dirname, '.work', 'cache');
const BUCKET = 'specthis-bench';
const AWS_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
Object.assign(process.env, AWS_ENV);

function aws(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync('aws', ['--endpoint-url', moto.endpoint, ...args], { env: AWS_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A deterministic PRNG (mulberry32), so the data set is the same bytes every run. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = {
  a: {
    title: '(a) one 200 MB file',
    entry: 'bench-one-file',
    roots: ['results/compute-bench-one-file'],
    make(root) {
      const dir = path.join(root, 'results/compute-bench-one-file');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'result.bin');
      if (fs.existsSync(file) && fs.statSync(file).size === 200e6) return;
      const rand = prng(1);
      const fd = fs.openSync(file, 'w');
      const chunk = Buffer.alloc(1 << 20);
      for (let left = 200e6; left > 0; left -= chunk.length) {
        for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((rand() * 2 ** 32) >>> 0, i);
        fs.writeSync(fd, chunk, 0, Math.min(chunk.length, left));
      }
      fs.closeSync(fd);
    },
    awsPush: (root, dest) =>
      aws(['s3', 'cp', '--only-show-errors', path.join(root, 'results/compute-bench-one-file/result.bin'), `${dest}/result.bin`]),
    awsFetch: (src, local) => aws(['s3', 'cp', '--only-show-errors', `${src}/result.bin`, path.join(local, 'result.bin')]),
  },
  b: {
    title: '(b) 2,000 files of 10 KB',
    entry: 'bench-many-files',
    roots: ['results/compute-bench-many-files'],
    make(root) {
      const dir = path.join(root, 'results/compute-bench-many-files');
      if (fs.existsSync(dir) && fs.readdirSync(dir).length === 2000) return;
      fs.mkdirSync(dir, { recursive: true });
      const rand = prng(2);
      for (let i = 0; i < 2000; i++) {
        let text = '{"draws": [';
        while (text.length < 10_200) text += `${(rand() * 100 - 50).toFixed(6)}, `;
        fs.writeFileSync(path.join(dir, `draw-${String(i).padStart(4, '0')}.json`), `${text.slice(0, 10_238)}]}`);
      }
    },
    awsPush: (root, dest) =>
      aws(['s3', 'cp', '--only-show-errors', '--recursive', path.join(root, 'results/compute-bench-many-files'), dest]),
    awsFetch: (src, local) => aws(['s3', 'cp', '--only-show-errors', '--recursive', src, local]),
  },
};

function receiptFor(root, c, signature) {
  const receipt = {
    entry: c.entry,
    signature,
    command: 'bench',
    exitCode: 0,
    start: new Date().toISOString(),
    end: new Date().toISOString(),
    durationMs: 0,
    host: os.hostname(),
    outputs: hashOutputs(root, ownedFiles(root, c.roots)),
    inputs: { digest: 'bench', components: [] },
    upstream: [],
  };
  writeReceipt(root, receipt);
  return receipt;
}

let moto;
async function main() {
  moto = await startMoto();
  const store = cache.openStore(
    { kind: 's3', bucket: BUCKET, prefix: 'bench', url: `s3://${BUCKET}/bench` },
    { s3: { endpoint: moto.endpoint, partSizeBytes: PART_MB === undefined ? undefined : PART_MB << 20, queueSize: QUEUE } },
  );
  aws(['s3', 'mb', `s3://${BUCKET}`]);
  const results = {};
  for (const [id, c] of Object.entries(CASES)) {
    if (ONLY && ONLY !== id) continue;
    const src = path.join(WORK, `${id}-src`);
    const dst = path.join(WORK, `${id}-dst`);
    process.stdout.write(`${c.title}: preparing ${path.relative(process.cwd(), src)} … `);
    c.make(src);
    console.log('done');
    const r = (results[id] = { oursPush: [], awsPush: [], oursFetch: [], awsFetch: [], archiveBytes: 0 });
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh signature per round: a push of something the cache does not hold yet.
      const signature = (Date.now().toString(16) + round.toString(16)).padEnd(64, '0').slice(0, 64);
      const receipt = receiptFor(src, c, signature);
      const awsKey = `s3://${BUCKET}/aws/${signature}`;
      fs.rmSync(dst, { recursive: true, force: true });
      fs.mkdirSync(dst, { recursive: true });
      const ours = async () => {
        let t = process.hrtime.bigint();
        const pushed = await cache.pushEntry({
          root: src,
          store,
          entry: c.entry,
          signature,
          receipt,
          roots: c.roots,
          toolVersion: 'bench',
          gzipLevel: GZIP_LEVEL,
        });
        r.oursPush.push(Number(process.hrtime.bigint() - t) / 1e9);
        if (pushed.status !== 'pushed') throw new Error(`push: ${JSON.stringify(pushed)}`);
        r.archiveBytes = pushed.archiveBytes;
        t = process.hrtime.bigint();
        const fetched = await cache.fetchEntry({ root: dst, store, entry: c.entry, signature, roots: c.roots });
        r.oursFetch.push(Number(process.hrtime.bigint() - t) / 1e9);
        if (fetched.status !== 'fetched') throw new Error(`fetch: ${JSON.stringify(fetched)}`);
      };
      const theirs = () => {
        r.awsPush.push(c.awsPush(src, awsKey));
        const local = path.join(dst, 'aws');
        fs.mkdirSync(local, { recursive: true });
        r.awsFetch.push(c.awsFetch(awsKey, local));
      };
      if (round % 2 === 0) {
        await ours();
        theirs();
      } else {
        theirs();
        await ours();
      }
      // Keep moto's memory flat: drop this round's objects.
      for (const o of await store.list('')) await store.delete(o.key);
      aws(['s3', 'rm', '--only-show-errors', '--recursive', awsKey]);
      console.log(
        `  round ${round + 1}: push ours ${r.oursPush.at(-1).toFixed(2)} s, aws ${r.awsPush.at(-1).toFixed(2)} s; fetch ours ${r.oursFetch.at(-1).toFixed(2)} s, aws ${r.awsFetch.at(-1).toFixed(2)} s`,
      );
    }
  }
  store.close();
  process.kill(moto.pid, 'SIGTERM');

  console.log(
    `\nmedians of ${ROUNDS} rounds; gzip level ${GZIP_LEVEL ?? `${cache.DEFAULT_GZIP_LEVEL} (default)`}, parts ${PART_MB ?? cache.S3_STORE_DEFAULTS.partSizeBytes / 2 ** 20} MiB x ${QUEUE ?? cache.S3_STORE_DEFAULTS.queueSize}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('| case | archive | push: ours | push: aws | ratio | fetch: ours | fetch: aws | ratio | goal |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  let pass = true;
  for (const [id, r] of Object.entries(results)) {
    const push = median(r.oursPush) / median(r.awsPush);
    const fetch = median(r.oursFetch) / median(r.awsFetch);
    const goal = GOALS[id];
    const met = push <= goal.ratio && fetch <= goal.ratio;
    pass &&= met;
    console.log(
      `| ${CASES[id].title} | ${(r.archiveBytes / 1e6).toFixed(1)} MB | ${median(r.oursPush).toFixed(2)} s | ${median(r.awsPush).toFixed(2)} s | ${push.toFixed(2)}x | ${median(r.oursFetch).toFixed(2)} s | ${median(r.awsFetch).toFixed(2)} s | ${fetch.toFixed(2)}x | ${goal.text}: ${met ? 'PASS' : 'MISS'} |`,
    );
  }
  process.exitCode = pass ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
