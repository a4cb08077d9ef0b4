import { startFaultProxy, type FaultProxy } from '../../e2e/support/fault-proxy';
import { motoInstalled, startMoto, useFakeAwsEnv, type Moto } from '../../e2e/support/moto';
import { S3Store } from '../cache/s3-store';
import { call, nxArchive } from './__fixtures__/nx-http';
import { startCacheServer, type RunningCacheServer } from './server';

/**
 * The server over a real S3 API (moto) behind e2e/support/fault-proxy.ts:
 * whatever the store does, a GET is a 200 or a 404 and a PUT a 200, 403 or
 * 409, within the server's bound (storeTimeoutMs, 3 s by default, not the
 * S3 store's own 12 s for a silent server).
 */
jest.setTimeout(60_000);
const BUCKET = 'specthis-nx';
const WRITE = 'w-0123456789abcdef0123456789abcdef';
const hasMoto = motoInstalled();
if (!hasMoto) console.warn('cache-server s3.spec: moto is not installed (python3 -c "import moto"); skipped');

(hasMoto ? describe : describe.skip)('the Nx cache server over S3', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let restoreEnv: () => void;
  let server: RunningCacheServer;
  let store: S3Store;
  const lines: string[] = [];

  beforeAll(async () => {
    restoreEnv = useFakeAwsEnv();
    moto = await startMoto([BUCKET]);
    proxy = await startFaultProxy(moto.endpoint);
    store = new S3Store(BUCKET, 'team', { endpoint: proxy.endpoint });
    server = await startCacheServer({
      store,
      port: 0,
      tokens: { write: [WRITE], read: [] },
      log: { info: (l) => lines.push(l), error: (l) => lines.push(l) },
    });
  });
  afterAll(async () => {
    await server?.close();
    store?.close();
    await proxy?.close();
    await moto?.stop();
    restoreEnv?.();
  });
  afterEach(() => proxy.setFault({ kind: 'pass' }));

  const timed = async (method: 'GET' | 'PUT', hash: string, body?: Buffer) => {
    const t0 = performance.now();
    const r = await call(server.url, method, `/v1/cache/${hash}`, { token: WRITE, body });
    return { status: r.status, body: r.body, seconds: (performance.now() - t0) / 1000 };
  };

  it('stores under <prefix>/nx/ and serves it back', async () => {
    const body = nxArchive({ 'dist/a.txt': 'from s3\n' });
    expect((await timed('PUT', '101', body)).status).toBe(200);
    const got = await timed('GET', '101');
    expect(got.status).toBe(200);
    expect(got.body.equals(body)).toBe(true);
    expect((await store.list('nx/')).map((o) => o.key)).toEqual(['nx/101.json', expect.stringMatching(/^nx\/101\/[0-9a-f]{64}\.tar\.gz$/)]);
  });

  it.each([
    ['accepts and never answers', { kind: 'hang' } as const],
    ['answers 500', { kind: 'status', status: 500 } as const],
    ['answers 403', { kind: 'status', status: 403 } as const],
  ])('answers a miss and refuses to store, within its bound, when S3 %s', async (_what, fault) => {
    proxy.setFault(fault);
    const get = await timed('GET', '101');
    const put = await timed('PUT', '102', nxArchive());
    expect([get.status, put.status]).toEqual([404, 403]);
    expect(get.seconds).toBeLessThan(4.5);
    expect(put.seconds).toBeLessThan(4.5);
    proxy.setFault({ kind: 'pass' });
    expect((await timed('GET', '102')).status).toBe(404);
    expect((await timed('GET', '101')).status).toBe(200);
  });
});
