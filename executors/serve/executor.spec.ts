import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import serveExecutor from './executor';
import { copyExample } from '../../scripts/example-copy';

jest.setTimeout(30_000);

const context = (root: string) => ({
  root,
  nxJsonConfiguration: { plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'specs' } }] },
});

function status(url: string): Promise<number | string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = request({ host: hostname, port, path: '/', agent: false, headers: { Host: `localhost:${port}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
    req.end();
  });
}

describe('serve executor', () => {
  let root: string;
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-serve-exec-'));
    copyExample(root);
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
    rmSync(root, { recursive: true, force: true });
  });

  it('yields success with the URL once listening, serves the page, and closes when Nx ends the iteration', async () => {
    const listeners = process.listenerCount('SIGINT');
    const run = serveExecutor({ port: 0, debounceMs: 20 }, context(root));
    const first = await run.next();
    expect(first.value).toEqual({ success: true, baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
    const url = (first.value as { baseUrl: string }).baseUrl;
    expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toContain(`the live dashboard is at ${url}`);
    expect(await status(url)).toBe(200);
    await run.return(undefined);
    expect(await status(url)).toBe('ECONNREFUSED');
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('fails with an actionable message when the port is in use', async () => {
    const running = serveExecutor({ port: 0 }, context(root));
    const url = ((await running.next()).value as { baseUrl: string }).baseUrl;
    const port = Number(new URL(url).port);
    const second = serveExecutor({ port }, context(root));
    expect((await second.next()).value).toEqual({ success: false });
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(
      `cannot listen on 127.0.0.1:${port}: the port is in use; pass another port (0 picks a free one)`,
    );
    expect((await second.next()).done).toBe(true);
    await running.return(undefined);
  });
});
