import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cacheServerExecutor from './executor';

jest.setTimeout(30_000);
const WRITE = 'w-0123456789abcdef0123456789abcdef';

function status(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
    req.end();
  });
}

describe('cache-server executor', () => {
  let root: string;
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  const saved = { ...process.env };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-cache-server-exec-'));
    mkdirSync(join(root, 'nx-store'));
    process.env.SPECTHIS_CACHE_SERVER_WRITE_TOKENS = WRITE;
    delete process.env.SPECTHIS_CACHE_SERVER_READ_TOKENS;
    delete process.env.SPECTHIS_CACHE_URL;
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
    process.env = { ...saved };
    rmSync(root, { recursive: true, force: true });
  });

  it('yields success with the URL once listening, over a store relative to the workspace, and closes when Nx ends it', async () => {
    const listeners = process.listenerCount('SIGINT');
    const run = cacheServerExecutor({ store: 'nx-store', port: 0 }, { root });
    const first = await run.next();
    expect(first.value).toEqual({ success: true, baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const url = (first.value as { baseUrl: string }).baseUrl;
    expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toContain(`serving file://${root}/nx-store at ${url}`);
    expect(await status(url)).toBe(200);
    await run.return(undefined);
    expect(await status(url)).toBe('ECONNREFUSED');
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('takes the store from SPECTHIS_CACHE_URL when the options name none', async () => {
    process.env.SPECTHIS_CACHE_URL = join(root, 'nx-store');
    const run = cacheServerExecutor({ port: 0 }, { root });
    expect((await run.next()).value).toMatchObject({ success: true });
    await run.return(undefined);
  });

  it('fails with one line, no stack, when it has no store or no token', async () => {
    expect((await cacheServerExecutor({ port: 0 }, { root }).next()).value).toEqual({ success: false });
    delete process.env.SPECTHIS_CACHE_SERVER_WRITE_TOKENS;
    expect((await cacheServerExecutor({ store: 'nx-store', port: 0 }, { root }).next()).value).toEqual({ success: false });
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toMatch(/^specthis cache-server: no store: pass --store .* or set SPECTHIS_CACHE_URL\n/);
    expect(printed).toMatch(/\nspecthis cache-server: no token is configured, .*\n$/);
    expect(printed).not.toMatch(/\n\s+at /);
  });
});
