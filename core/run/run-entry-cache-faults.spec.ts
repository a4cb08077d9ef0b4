import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../e2e/support/fault-proxy';
import { freePort, motoInstalled, startMoto, useFakeAwsEnv, type Moto } from '../../e2e/support/moto';
import { UNAVAILABLE_FILE } from '../cache/run-cache';
import { S3_STORE_DEFAULTS, S3Store } from '../cache/s3-store';
import { loadWorkspace } from '../workspace/load';
import { devNull, PIPELINE, TempWorkspace } from './__fixtures__/workspace';
import { runEntry, type RunEntryResult } from './run-entry';

/**
 * The results cache inside the run when S3 misbehaves: real moto behind
 * e2e/support/fault-proxy.ts, the cache's endpoint the proxy (or a closed
 * port), and `clean` then `fit` run through runEntry as one Nx run (one
 * NX_INVOCATION_ANCESTOR_PIDS). Whatever the store does, both entries run
 * here and succeed, within a bounded time, and one warning line names the
 * cause; a store-wide failure is said once per run, not once per entry.
 */
const BUCKET = 'specthis-run-faults';
const { maxAttempts, connectTimeoutMs, idleTimeoutMs } = S3_STORE_DEFAULTS;
/** Two tiny Python entries, their receipts and one archive each, on a loaded 2-core machine: measured well under 2 s. */
const LOCAL_S = 8;
/**
 * A fault that costs no timeout (refused connection, 403, 404, a few 500s) is
 * answered at once, with the SDK's backoff between attempts (well under a second for three):
 * the run stays within one connect timeout of the local work.
 */
const FAST_BOUND_S = LOCAL_S + connectTimeoutMs / 1000;
/** A server that never answers costs each attempt its idle timeout, once per run (s3-store.ts S3_STORE_DEFAULTS), plus backoff. */
const HANG_COST_S = (maxAttempts * idleTimeoutMs) / 1000;
const HANG_BOUND_S = HANG_COST_S + 2 + LOCAL_S;

const hasMoto = motoInstalled();
if (!hasMoto) console.warn('run-entry-cache-faults.spec: moto is not installed (python3 -c "import moto"); skipped');

let moto: Moto;
let proxy: FaultProxy;
let restoreEnv: () => void;
let lines: string[];
const workspaces: TempWorkspace[] = [];
/** A distinct Nx run per case: the outermost pid Nx would pass down. */
let nextRun = 770_000;

const log = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => (/ was never certified /.test(m) ? undefined : lines.push(`warn ${m}`)),
  error: (m: string) => lines.push(`error ${m}`),
};
const warnings = () => lines.filter((l) => l.startsWith('warn ')).map((l) => l.slice('warn '.length));
const infos = (pattern: RegExp) => lines.filter((l) => l.startsWith('info ') && pattern.test(l));

function fresh(): TempWorkspace {
  const ws = new TempWorkspace(PIPELINE);
  workspaces.push(ws);
  return ws;
}

interface Cache {
  bucket?: string;
  prefix: string;
  endpoint: string;
}

const urlOf = (c: Cache) => `s3://${c.bucket ?? BUCKET}/${c.prefix}`;

async function run(ws: TempWorkspace, name: string, cache: Cache, nxRun: string): Promise<{ result: RunEntryResult; seconds: number }> {
  const model = loadWorkspace(ws.root, {
    specsDir: 'specs',
    cache: { url: urlOf(cache), endpoint: cache.endpoint, read: true, write: true },
  });
  const start = performance.now();
  const result = await runEntry(ws.root, model, name, {
    log,
    stdout: devNull(),
    stderr: devNull(),
    env: { NX_INVOCATION_ANCESTOR_PIDS: `${nxRun},${Number(nxRun) + 1}` },
  });
  return { result, seconds: (performance.now() - start) / 1000 };
}

/** `clean` then `fit`, as one Nx run does them. */
async function pipeline(ws: TempWorkspace, cache: Cache) {
  const nxRun = String(nextRun++);
  const clean = await run(ws, 'clean', cache, nxRun);
  const requestsAfterClean = proxy.requests;
  const fit = await run(ws, 'fit', cache, nxRun);
  const seconds = clean.seconds + fit.seconds;
  console.log(`${cache.prefix}: clean ${clean.seconds.toFixed(1)} s, fit ${fit.seconds.toFixed(1)} s`);
  return { clean, fit, seconds, nxRun, requestsDuringFit: proxy.requests - requestsAfterClean };
}

/** Both entries ran here and succeeded: outputs on disk, receipts written, logs of the runs. */
function expectRanHere(ws: TempWorkspace, r: Awaited<ReturnType<typeof pipeline>>): void {
  expect(r.clean.result).toMatchObject({ success: true, outcome: 'ran' });
  expect(r.fit.result).toMatchObject({ success: true, outcome: 'ran' });
  for (const f of [
    'results/compute-clean-clean/panel.json',
    'results/compute-clean-clean/rows.csv',
    'results/compute-fit-fit/estimates.json',
  ]) {
    expect(existsSync(join(ws.root, f))).toBe(true);
  }
  expect(JSON.parse(ws.read('results/compute-fit-fit/estimates.json'))).toEqual({ beta: 0.5, n: 3 });
  for (const name of ['clean', 'fit']) {
    const receipt = JSON.parse(ws.read(`.specthis/receipts/${name}.json`));
    expect(receipt).toMatchObject({ entry: name, exitCode: 0, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(receipt.source).toBeUndefined(); // made here, not fetched
    expect(existsSync(join(ws.root, '.specthis/logs', `${name}.log`))).toBe(true);
  }
}

/** A warning a researcher reads: one line, no stack frames, no SDK class dump. */
function expectOneReadableLine(message: string): void {
  expect(message).not.toMatch(/\n/);
  expect(message).not.toMatch(/\bat .*:\d+:\d+|\[object |undefined/);
}

const SKIPPED = '; the results cache is skipped for the rest of this run, and entries run here';

function marker(ws: TempWorkspace): { url: string; run: string; category: string } | undefined {
  const file = join(ws.root, UNAVAILABLE_FILE);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** What the bucket holds under a prefix, read from moto directly (not through the proxy). */
async function stored(prefix: string, bucket = BUCKET): Promise<string[]> {
  const store = new S3Store(bucket, prefix, { endpoint: moto.endpoint });
  try {
    return (await store.list('')).map((o) => o.key.replace(/^cache\/[0-9a-f]{64}\//, ''));
  } finally {
    store.close();
  }
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

(hasMoto ? describe : describe.skip)('runEntry with an S3 results cache that misbehaves', () => {
  beforeAll(async () => {
    restoreEnv = useFakeAwsEnv();
    moto = await startMoto([BUCKET]);
    proxy = await startFaultProxy(moto.endpoint);
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
    restoreEnv?.();
  });
  beforeEach(() => {
    lines = [];
    proxy.setFault({ kind: 'pass' });
    proxy.injected = 0;
  });
  afterEach(() => workspaces.splice(0).forEach((w) => w.cleanup()));

  it('through the proxy with nothing wrong: both entries run, are pushed, and a second workspace fetches them', async () => {
    const cache = { prefix: 'healthy', endpoint: proxy.endpoint };
    const a = fresh();
    const r = await pipeline(a, cache);
    expectRanHere(a, r);
    expect(warnings()).toEqual([]);
    expect(infos(/ pushed to s3:\/\/specthis-run-faults\/healthy: /)).toHaveLength(2);
    expect((await stored('healthy')).sort()).toEqual(['clean.manifest.json', 'clean.tar.gz', 'fit.manifest.json', 'fit.tar.gz']);
    const b = fresh();
    const again = await pipeline(b, cache);
    expect(again.clean.result).toMatchObject({ success: true, outcome: 'fetched' });
    expect(again.fit.result).toMatchObject({ success: true, outcome: 'fetched' });
  });

  it('(1) an endpoint that is down: both run here at once; one warning says it cannot be reached, once per run', async () => {
    const port = await freePort();
    const cache = { prefix: 'down', endpoint: `http://127.0.0.1:${port}` };
    const ws = fresh();
    const r = await pipeline(ws, cache);
    expectRanHere(ws, r);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    const said = warnings();
    expect(said).toHaveLength(1);
    expectOneReadableLine(said[0]);
    expect(said[0]).toMatch(
      new RegExp(
        `^cache s3://specthis-run-faults/down: clean not fetched: cannot reach http://127\\.0\\.0\\.1:${port} for GET cache/[0-9a-f]{64}/clean\\.manifest\\.json after ${maxAttempts} attempts \\(ECONNREFUSED\\); check the endpoint and the network${esc(SKIPPED)}$`,
      ),
    );
    expect(marker(ws)).toMatchObject({ url: 's3://specthis-run-faults/down', run: r.nxRun, category: 'unreachable' });
    // Skipped for the rest of the run: no push of clean, no fetch or push of fit.
    expect(infos(/pushed to|is not in s3:/)).toEqual([]);
    // Another run tries again, and says so again.
    lines = [];
    ws.remove('.specthis/receipts');
    const next = await pipeline(ws, cache);
    expect(next.clean.result).toMatchObject({ success: true, outcome: 'ran' });
    expect(warnings()).toHaveLength(1);
    expect(marker(ws)).toMatchObject({ run: next.nxRun });
  });

  it(
    '(2) an endpoint that accepts and never answers: clean pays the timeout once, fit not at all; one warning says it timed out',
    async () => {
      proxy.setFault({ kind: 'hang' });
      const cache = { prefix: 'hang', endpoint: proxy.endpoint };
      const ws = fresh();
      const r = await pipeline(ws, cache);
      expectRanHere(ws, r);
      // The idle timeout is what ended the wait, on every attempt, and nothing longer.
      expect(r.clean.seconds).toBeGreaterThan(HANG_COST_S * 0.9);
      expect(r.seconds).toBeLessThan(HANG_BOUND_S);
      expect(proxy.injected).toBe(maxAttempts);
      // fit, in the same run, does not ask the hung endpoint anything and does not wait for it.
      expect(r.requestsDuringFit).toBe(0);
      expect(r.fit.seconds).toBeLessThan(idleTimeoutMs / 1000);
      const said = warnings();
      expect(said).toHaveLength(1);
      expectOneReadableLine(said[0]);
      expect(said[0]).toMatch(
        new RegExp(
          `^cache s3://specthis-run-faults/hang: clean not fetched: GET cache/[0-9a-f]{64}/clean\\.manifest\\.json timed out after ${maxAttempts} attempts \\(bounds: connect ${connectTimeoutMs / 1000} s, silence ${idleTimeoutMs / 1000} s\\); check that ${esc(proxy.endpoint)} answers${esc(SKIPPED)}$`,
        ),
      );
      expect(marker(ws)).toMatchObject({ url: 's3://specthis-run-faults/hang', run: r.nxRun, category: 'timeout' });
      proxy.setFault({ kind: 'pass' });
      expect(await stored('hang')).toEqual([]);
    },
    (HANG_BOUND_S + 30) * 1000,
  );

  it('(3) 403 on reads (GET and HEAD, as a policy without s3:GetObject): fetch denied, the cache skipped for the run, nothing pushed', async () => {
    proxy.setFault({ kind: 'status', status: 403, methods: ['GET', 'HEAD'] });
    const cache = { prefix: 'read-denied', endpoint: proxy.endpoint };
    const ws = fresh();
    const r = await pipeline(ws, cache);
    expectRanHere(ws, r);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    // One denied GET of clean's manifest (403 is not retried), then not one request more: no push, nothing for fit.
    expect(proxy.injected).toBe(1);
    expect(r.requestsDuringFit).toBe(0);
    const said = warnings();
    expect(said).toHaveLength(1);
    expectOneReadableLine(said[0]);
    expect(said[0]).toMatch(
      new RegExp(
        `^cache s3://specthis-run-faults/read-denied: clean not fetched: access denied for GET cache/[0-9a-f]{64}/clean\\.manifest\\.json \\(HTTP 403 AccessDenied\\) at ${esc(proxy.endpoint)}; check the credentials and the bucket policy${esc(SKIPPED)}$`,
      ),
    );
    expect(marker(ws)).toMatchObject({ run: r.nxRun, category: 'denied' });
    expect(infos(/pushed to/)).toEqual([]);
    proxy.setFault({ kind: 'pass' });
    expect(await stored('read-denied')).toEqual([]);
  });

  it('(4) 403 on writes (PUT and POST): fetches miss as usual, the push is denied once, both run here', async () => {
    proxy.setFault({ kind: 'status', status: 403, methods: ['PUT', 'POST'] });
    const cache = { prefix: 'write-denied', endpoint: proxy.endpoint };
    const ws = fresh();
    const r = await pipeline(ws, cache);
    expectRanHere(ws, r);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    // Both entries still asked the cache first, and missed the ordinary way.
    expect(
      infos(/ is not in s3:\/\/specthis-run-faults\/write-denied under this signature; running it$/).map((l) => l.split(' ')[2]),
    ).toEqual(['clean', 'fit']);
    // One denied upload (clean's archive); fit's push is not tried again in this run.
    expect(proxy.injected).toBe(1);
    const said = warnings();
    expect(said).toHaveLength(1);
    expectOneReadableLine(said[0]);
    expect(said[0]).toMatch(
      new RegExp(
        `^cache s3://specthis-run-faults/write-denied: clean not pushed: access denied for streamed PUT cache/[0-9a-f]{64}/clean\\.tar\\.gz \\(HTTP 403 AccessDenied\\) at ${esc(proxy.endpoint)}; check the credentials and the bucket policy; pushes to the results cache are skipped for the rest of this run, and fetches from it go on$`,
      ),
    );
    expect(marker(ws)).toMatchObject({ run: r.nxRun, category: 'denied', skips: 'writes' });
    proxy.setFault({ kind: 'pass' });
    expect(await stored('write-denied')).toEqual([]);
  });

  it('(4b) 403 on writes, the bucket holding fit but not clean: clean runs here and its push is denied; fit is still fetched', async () => {
    const cache = { prefix: 'write-denied-hit', endpoint: proxy.endpoint };
    await pipeline(fresh(), cache);
    // CI pushed both; clean's entry has since been pruned.
    const direct = new S3Store(BUCKET, cache.prefix, { endpoint: moto.endpoint });
    try {
      for (const o of await direct.list('')) if (/\/clean\./.test(o.key)) await direct.delete(o.key);
    } finally {
      direct.close();
    }
    expect((await stored(cache.prefix)).sort()).toEqual(['fit.manifest.json', 'fit.tar.gz']);
    lines = [];
    proxy.setFault({ kind: 'status', status: 403, methods: ['PUT', 'POST'] });
    const ws = fresh();
    const r = await pipeline(ws, cache);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    expect(r.clean.result).toMatchObject({ success: true, outcome: 'ran' });
    expect(r.fit.result).toMatchObject({ success: true, outcome: 'fetched' });
    expect(JSON.parse(ws.read('results/compute-fit-fit/estimates.json'))).toEqual({ beta: 0.5, n: 3 });
    expect(warnings()).toEqual([
      expect.stringMatching(/^cache s3:\/\/specthis-run-faults\/write-denied-hit: clean not pushed: access denied /),
    ]);
    expect(proxy.injected).toBe(1);
  });

  it('(5a) two 500s on uploads, then fine: the retries carry both pushes through, without a warning', async () => {
    proxy.setFault({ kind: 'status', status: 500, times: 2, methods: ['PUT'] });
    const cache = { prefix: 'retry-push', endpoint: proxy.endpoint };
    const ws = fresh();
    const r = await pipeline(ws, cache);
    expectRanHere(ws, r);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    expect(proxy.injected).toBe(2);
    expect(warnings()).toEqual([]);
    expect(infos(/ pushed to s3:\/\/specthis-run-faults\/retry-push: /).map((l) => l.split(' ')[2])).toEqual(['clean', 'fit']);
    expect((await stored('retry-push')).sort()).toEqual(['clean.manifest.json', 'clean.tar.gz', 'fit.manifest.json', 'fit.tar.gz']);
    expect(marker(ws)).toBeUndefined();
  });

  it('(5b) two 500s on reads of a bucket that holds both: the retries carry the fetches through; nothing runs', async () => {
    const cache = { prefix: 'retry-fetch', endpoint: proxy.endpoint };
    const a = fresh();
    await pipeline(a, cache);
    expect((await stored('retry-fetch')).length).toBe(4);
    lines = [];
    proxy.setFault({ kind: 'status', status: 500, times: 2, methods: ['GET'] });
    const b = fresh();
    const r = await pipeline(b, cache);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    expect(proxy.injected).toBe(2);
    expect(r.clean.result).toMatchObject({ success: true, outcome: 'fetched' });
    expect(r.fit.result).toMatchObject({ success: true, outcome: 'fetched' });
    expect(existsSync(join(b.root, '.specthis/logs/clean.log')) || existsSync(join(b.root, '.specthis/logs/fit.log'))).toBe(false);
    expect(b.read('results/compute-fit-fit/estimates.json')).toEqual(a.read('results/compute-fit-fit/estimates.json'));
    expect(JSON.parse(b.read('.specthis/receipts/fit.json')).source).toMatchObject({ cache: 's3://specthis-run-faults/retry-fetch' });
    expect(warnings()).toEqual([]);
    expect(infos(/ fetched from s3:\/\/specthis-run-faults\/retry-fetch/)).toHaveLength(2);
  });

  it('(6) a bucket that does not exist: one line naming the bucket, once per run; both run here', async () => {
    const cache = { bucket: 'specthis-no-such-bucket', prefix: 'team', endpoint: proxy.endpoint };
    const ws = fresh();
    const requests = proxy.requests;
    const r = await pipeline(ws, cache);
    expectRanHere(ws, r);
    expect(r.seconds).toBeLessThan(FAST_BOUND_S);
    expect(proxy.requests - requests).toBe(1); // clean's GET, answered NoSuchBucket; nothing after it
    const said = warnings();
    expect(said).toHaveLength(1);
    expectOneReadableLine(said[0]);
    expect(said[0]).toMatch(
      new RegExp(
        `^cache s3://specthis-no-such-bucket/team: clean not fetched: bucket "specthis-no-such-bucket" does not exist at ${esc(proxy.endpoint)}; create it or fix the cache URL${esc(SKIPPED)}$`,
      ),
    );
    expect(marker(ws)).toMatchObject({ url: 's3://specthis-no-such-bucket/team', run: r.nxRun, category: 'no-bucket' });
  });
});
