import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../e2e/support/fault-proxy';
import { freePort, motoInstalled, startMoto, useFakeAwsEnv, type Moto } from '../../e2e/support/moto';
import { ENTRY, realizedWorkspace, ROOTS, SIGNATURE, snapshot } from '../../e2e/support/realized-entry';
import { fetchEntry, type FetchResult } from './fetch';
import { pushEntry, type PushResult } from './push';
import { S3_STORE_DEFAULTS, S3Store } from './s3-store';

/**
 * A misbehaving S3 never hangs a run and never fails it: every push and fetch
 * comes back within a bounded time with a refusal or a miss whose one-line
 * message names the cause. moto behind e2e/support/fault-proxy.ts, which
 * answers 403, answers 500 N times then passes, or accepts and never answers.
 */
const BUCKET = 'specthis-faults';
/** Generous for a shared 2-core machine; the designed bound is attempts x idle timeout (3 x 4 s) plus backoff. */
const BOUND_S = 20;
const hasMoto = motoInstalled();
if (!hasMoto) console.warn('s3-faults.spec: moto is not installed (python3 -c "import moto"); skipped');

let moto: Moto;
let proxy: FaultProxy;
let restoreEnv: () => void;
let sandbox: string;
let pushedWs: { root: string; receipt: Parameters<typeof pushEntry>[0]['receipt'] };

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - start) / 1000 };
}

function storeAt(endpoint: string, prefix = 'team'): S3Store {
  return new S3Store(BUCKET, prefix, { endpoint });
}

/** A push of a fresh signature (so it is not already there) and a fetch of the entry pushed in beforeAll, at once. */
async function pushAndFetch(endpoint: string, prefix = 'team') {
  const store = storeAt(endpoint, prefix);
  const other = `${Date.now().toString(16).padStart(12, '0')}${'b'.repeat(52)}`;
  const ws = realizedWorkspace(sandbox, `ws-${other.slice(0, 12)}-${Math.random().toString(36).slice(2)}`);
  const before = snapshot(ws.root);
  try {
    const [push, fetch] = await Promise.all([
      timed(() =>
        pushEntry({
          root: ws.root,
          store,
          entry: ENTRY,
          signature: other,
          receipt: { ...ws.receipt, signature: other },
          roots: ROOTS,
          toolVersion: 't',
        }),
      ),
      timed(() => fetchEntry({ root: ws.root, store, entry: ENTRY, signature: SIGNATURE, roots: ROOTS })),
    ]);
    return {
      push: push.result as PushResult,
      fetch: fetch.result as FetchResult,
      pushSeconds: push.seconds,
      fetchSeconds: fetch.seconds,
      unchanged: snapshot(ws.root),
      before,
    };
  } finally {
    store.close();
  }
}

(hasMoto ? describe : describe.skip)('the S3 store under faults', () => {
  beforeAll(async () => {
    restoreEnv = useFakeAwsEnv();
    moto = await startMoto([BUCKET]);
    proxy = await startFaultProxy(moto.endpoint);
    sandbox = mkdtempSync(join(tmpdir(), 'specthis-faults-'));
    pushedWs = realizedWorkspace(sandbox, 'ci');
    const store = storeAt(moto.endpoint);
    expect(
      await pushEntry({
        root: pushedWs.root,
        store,
        entry: ENTRY,
        signature: SIGNATURE,
        receipt: pushedWs.receipt,
        roots: ROOTS,
        toolVersion: 't',
      }),
    ).toMatchObject({
      status: 'pushed',
    });
    store.close();
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
    restoreEnv?.();
    rmSync(sandbox, { recursive: true, force: true });
  });
  beforeEach(() => proxy.setFault({ kind: 'pass' }));

  it('passes through when nothing is wrong', async () => {
    const r = await pushAndFetch(proxy.endpoint);
    expect(r.push).toMatchObject({ status: 'pushed' });
    expect(r.fetch).toMatchObject({ status: 'fetched' });
  });

  it('403: refused and missed at once, the message says access is denied', async () => {
    proxy.setFault({ kind: 'status', status: 403 });
    const r = await pushAndFetch(proxy.endpoint);
    expect(r.pushSeconds).toBeLessThan(BOUND_S);
    expect(r.fetchSeconds).toBeLessThan(BOUND_S);
    expect(r.push).toMatchObject({ status: 'refused', category: 'denied' });
    expect(r.fetch).toMatchObject({ status: 'miss', category: 'denied' });
    for (const m of [r.push, r.fetch].map((x) => ('message' in x ? x.message : ''))) {
      expect(m).toMatch(
        /^cache s3:\/\/specthis-faults\/team: fit-baseline not (pushed|fetched): access denied for (HEAD|GET) cache\/.* \(HTTP 403 \w+\) at http:\/\/127\.0\.0\.1:\d+; check the credentials and the bucket policy$/,
      );
    }
    expect(r.unchanged).toEqual(r.before);
  });

  it('500 twice, then fine: the retries carry push and fetch through', async () => {
    proxy.setFault({ kind: 'status', status: 500, times: 2 });
    const store = storeAt(proxy.endpoint);
    const ws = realizedWorkspace(sandbox, 'retry');
    try {
      const requests = proxy.requests;
      const fetched = await fetchEntry({ root: ws.root, store, entry: ENTRY, signature: SIGNATURE, roots: ROOTS });
      expect(fetched).toMatchObject({ status: 'fetched' });
      expect(proxy.requests - requests).toBe(4); // GET manifest x3 (two 500s), GET archive
    } finally {
      store.close();
    }
  });

  it('500 every time: a bounded number of attempts, then a miss naming the server error', async () => {
    proxy.setFault({ kind: 'status', status: 500 });
    const requests = proxy.requests;
    const r = await pushAndFetch(proxy.endpoint);
    expect(proxy.requests - requests).toBe(2 * S3_STORE_DEFAULTS.maxAttempts);
    expect(r.pushSeconds).toBeLessThan(BOUND_S);
    expect(r.push).toMatchObject({
      status: 'refused',
      category: 'server',
      reason: expect.stringMatching(/^HEAD cache\/.* failed after 3 attempts \(HTTP 500 /),
    });
    expect(r.fetch).toMatchObject({
      status: 'miss',
      category: 'server',
      reason: expect.stringMatching(
        /^GET cache\/.*\.manifest\.json failed after 3 attempts \(HTTP 500 InternalError\) at http:\/\/127\.0\.0\.1:\d+; try again later$/,
      ),
    });
    expect(r.unchanged).toEqual(r.before);
  });

  it(
    'a server that accepts and never answers: both give up within the bound, saying it timed out',
    async () => {
      proxy.setFault({ kind: 'hang' });
      const r = await pushAndFetch(proxy.endpoint);
      console.log(`hung endpoint: push gave up after ${r.pushSeconds.toFixed(1)} s, fetch after ${r.fetchSeconds.toFixed(1)} s`);
      expect(r.pushSeconds).toBeLessThan(BOUND_S);
      expect(r.fetchSeconds).toBeLessThan(BOUND_S);
      // The idle timeout is what fires: nothing returns before it did on each attempt.
      expect(r.fetchSeconds).toBeGreaterThan((S3_STORE_DEFAULTS.idleTimeoutMs / 1000) * S3_STORE_DEFAULTS.maxAttempts * 0.9);
      expect(r.push).toMatchObject({ status: 'refused', category: 'timeout' });
      expect(r.fetch).toMatchObject({ status: 'miss', category: 'timeout' });
      expect('message' in r.fetch && r.fetch.message).toMatch(
        /^cache s3:\/\/specthis-faults\/team: fit-baseline not fetched: GET cache\/.*\.manifest\.json timed out after 3 attempts \(bounds: connect 3 s, silence 4 s\); check that http:\/\/127\.0\.0\.1:\d+ answers$/,
      );
      expect(r.unchanged).toEqual(r.before);
    },
    BOUND_S * 2 * 1000,
  );

  it.each([
    ['one PutObject', {}, {}],
    ['a multipart upload', { partSizeBytes: 5 << 20 }, { 'big.bin': randomBytes(11 << 20) }],
  ])('uploads refused (403 on PUT and POST only) with %s: refused at once, nothing half-stored', async (_name, s3, extra) => {
    proxy.setFault({ kind: 'status', status: 403, methods: ['PUT', 'POST'] });
    const store = new S3Store(BUCKET, 'upload-denied', { endpoint: proxy.endpoint, ...s3 });
    const ws = realizedWorkspace(sandbox, `denied-${Math.random().toString(36).slice(2)}`, { extra });
    try {
      const { result, seconds } = await timed(() =>
        pushEntry({
          root: ws.root,
          store,
          entry: ENTRY,
          signature: SIGNATURE.replace(/^a/, 'c'),
          receipt: { ...ws.receipt, signature: SIGNATURE.replace(/^a/, 'c') },
          roots: ROOTS,
          toolVersion: 't',
        }),
      );
      expect(seconds).toBeLessThan(BOUND_S);
      expect(result).toMatchObject({
        status: 'refused',
        category: 'denied',
        reason: expect.stringMatching(/^access denied for (streamed )?PUT cache\//),
      });
      proxy.setFault({ kind: 'pass' });
      expect(await store.list('')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it(
    'uploads that hang (PUT and POST never answered): the push gives up within the bound',
    async () => {
      proxy.setFault({ kind: 'hang', methods: ['PUT', 'POST'] });
      const store = new S3Store(BUCKET, 'upload-hangs', { endpoint: proxy.endpoint });
      const ws = realizedWorkspace(sandbox, 'hang-upload');
      try {
        const sig = SIGNATURE.replace(/^a/, 'd');
        const { result, seconds } = await timed(() =>
          pushEntry({
            root: ws.root,
            store,
            entry: ENTRY,
            signature: sig,
            receipt: { ...ws.receipt, signature: sig },
            roots: ROOTS,
            toolVersion: 't',
          }),
        );
        console.log(`hung uploads: push gave up after ${seconds.toFixed(1)} s`);
        expect(seconds).toBeLessThan(BOUND_S);
        expect(result).toMatchObject({ status: 'refused', category: 'timeout' });
      } finally {
        store.close();
      }
    },
    BOUND_S * 2 * 1000,
  );

  it('an endpoint that is down: unreachable, at once', async () => {
    const port = await freePort();
    const r = await pushAndFetch(`http://127.0.0.1:${port}`);
    expect(r.pushSeconds).toBeLessThan(BOUND_S);
    expect(r.fetchSeconds).toBeLessThan(BOUND_S);
    console.log(`closed port: push gave up after ${r.pushSeconds.toFixed(1)} s, fetch after ${r.fetchSeconds.toFixed(1)} s`);
    expect(r.push).toMatchObject({ status: 'refused', category: 'unreachable' });
    expect(r.fetch).toMatchObject({
      status: 'miss',
      category: 'unreachable',
      message: expect.stringMatching(
        /^cache s3:\/\/specthis-faults\/team: fit-baseline not fetched: cannot reach http:\/\/127\.0\.0\.1:\d+ for GET cache\/.* after 3 attempts \(ECONNREFUSED\); check the endpoint and the network$/,
      ),
    });
    expect(r.unchanged).toEqual(r.before);
  });

  it('a bucket that does not exist: the message says so', async () => {
    const store = new S3Store('no-such-bucket', 'team', { endpoint: moto.endpoint });
    const ws = realizedWorkspace(sandbox, 'nobucket');
    try {
      const push = await pushEntry({
        root: ws.root,
        store,
        entry: ENTRY,
        signature: SIGNATURE,
        receipt: ws.receipt,
        roots: ROOTS,
        toolVersion: 't',
      });
      const fetch = await fetchEntry({ root: ws.root, store, entry: ENTRY, signature: SIGNATURE, roots: ROOTS });
      const says =
        /^cache s3:\/\/no-such-bucket\/team: fit-baseline not (pushed|fetched): bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+; create it or fix the cache URL$/;
      expect(push).toMatchObject({ status: 'refused', category: 'no-bucket', message: expect.stringMatching(says) });
      expect(fetch).toMatchObject({ status: 'miss', category: 'no-bucket', message: expect.stringMatching(says) });
    } finally {
      store.close();
    }
  });
});
