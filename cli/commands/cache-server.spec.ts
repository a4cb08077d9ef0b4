import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../exit';
import { main } from '../main';
import { runCli } from '../test-io';

const WRITE = 'w-0123456789abcdef0123456789abcdef';
const ENV = ['SPECTHIS_CACHE_SERVER_WRITE_TOKENS', 'SPECTHIS_CACHE_SERVER_READ_TOKENS', 'SPECTHIS_CACHE_URL'] as const;

/** `specthis cache-server`: what it refuses before it serves, and one start and stop in-process (e2e/cache-server.spec.ts drives Nx). */
describe('specthis cache-server', () => {
  let root: string;
  let saved: Record<string, string | undefined>;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-cli-cache-server-'));
    mkdirSync(join(root, 'store'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    saved = Object.fromEntries(ENV.map((n) => [n, process.env[n]]));
    for (const n of ENV) delete process.env[n];
    process.env.SPECTHIS_CACHE_SERVER_WRITE_TOKENS = WRITE;
  });
  afterEach(() => {
    for (const n of ENV)
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
  });

  it.each([
    [['--store', 'store', '--port', 'http'], /--port is a whole number from 0 to 65535, got "http"/],
    [['--store', 'store', '--max-size', '1.5g'], /--max-size is a positive number of bytes, optionally with k, m or g; got "1.5g"/],
    [['--store', 'store', '--max-size', '0'], /--max-size is a positive number/],
    [['--store', 'store', 'extra'], /unexpected argument "extra"; see `specthis cache-server --help`/],
    [[], /no store: pass --store \(s3:\/\/bucket\/prefix, .*\) or set SPECTHIS_CACHE_URL/],
    [['--store', 'http://example.org/cache'], /--store: http: is not a cache URL/],
    [['--store', 'store', '--no-auth', '--host', '0.0.0.0'], /only on a loopback host/],
  ])('%j is a usage error that says what is wrong', async (args, message) => {
    if (args.includes('--no-auth')) delete process.env.SPECTHIS_CACHE_SERVER_WRITE_TOKENS;
    const r = await runCli(root, 'cache-server', ...args);
    expect([r.code, r.stdout]).toEqual([EXIT.usage, '']);
    expect(r.stderr).toMatch(message);
  });

  it('refuses to start without a token, and says which variables to set (exit 2)', async () => {
    delete process.env.SPECTHIS_CACHE_SERVER_WRITE_TOKENS;
    const r = await runCli(root, 'cache-server', '--store', 'store');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/^specthis cache-server: no token is configured, .*SPECTHIS_CACHE_SERVER_WRITE_TOKENS/);
  });

  it('refuses a weak token without printing it (exit 2)', async () => {
    process.env.SPECTHIS_CACHE_SERVER_READ_TOKENS = 'letmein';
    const r = await runCli(root, 'cache-server', '--store', 'store');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('SPECTHIS_CACHE_SERVER_READ_TOKENS: token 1 of 1 has 7 characters');
    expect(r.stderr).not.toContain('letmein');
  });

  it('says so, and exits 3, when the store folder is missing', async () => {
    const r = await runCli(root, 'cache-server', '--store', 'no-such-folder');
    expect(r.code).toBe(EXIT.workspace);
    expect(r.stderr).toMatch(/cache folder .*no-such-folder does not exist .*mkdir -p/);
  });

  it('says so, and exits 2, when the port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = await runCli(root, 'cache-server', '--store', 'store', '--port', String(port));
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toContain(`specthis cache-server: cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('serves until SIGINT, printing what Nx needs, then exits 0', async () => {
    process.env.SPECTHIS_CACHE_URL = 'store';
    let stdout = '';
    const running = main(['cache-server', '--port', '0'], { cwd: root, stdout: (t) => void (stdout += t), stderr: () => {} });
    for (let i = 0; i < 200 && !stdout.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 10));
    const url = /NX_SELF_HOSTED_REMOTE_CACHE_SERVER=(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? '';
    expect(stdout).toMatch(/^specthis cache-server: serving file:\/\/.*\/store at http:\/\/127\.0\.0\.1:\d+, 1 write and 0 read tokens/);
    const status = await new Promise<number>((resolve, reject) =>
      request(`${url}/v1/cache/1`, { headers: { Authorization: `Bearer ${WRITE}` } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)))
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(404);
    process.emit('SIGINT', 'SIGINT');
    expect(await running).toBe(EXIT.ok);
    expect(stdout).toMatch(/GET 1 404 0 B \d+ ms token=write\n[^]*SIGINT, stopping\n$/);
    expect(stdout).not.toContain(WRITE);
  });
});
