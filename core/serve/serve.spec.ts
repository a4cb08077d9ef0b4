import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServedBuild } from './live-build';
import { serveWorkspace, type ServeHandle } from './serve';
import { isIgnored } from './watcher';

jest.setTimeout(20_000);

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `localhost:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('isIgnored', () => {
  it.each([
    ['specs/specs.html', true],
    ['specs/_index.json', true],
    ['specs/_routing.json', true],
    ['specs/_lock.json', false],
    ['specs/_lock.json.lock', true],
    ['specs/._lock.json.123.abc.tmp', true],
    ['results/a/.clock.4242.7.tmp', true],
    ['node_modules/x/index.js', true],
    ['sub/node_modules/x', true],
    ['.git/HEAD', true],
    ['.nx/workspace-data/x', true],
    ['dist/index.js', true],
    ['.specthis/logs/a.log', true],
    ['.specthis/receipts/a.json', false],
    ['.specthis', false],
    ['results/a/out.json', false],
    ['uv.lock', false],
  ])('%s -> %s', (rel, ignored) => {
    expect(isIgnored(rel, 'specs')).toBe(ignored);
  });

  it('with specsDir "." the generated files sit at the root', () => {
    expect(isIgnored('specs.html', '.')).toBe(true);
    expect(isIgnored('specs/specs.html', '.')).toBe(false);
  });
});

describe('serveWorkspace', () => {
  let root: string;
  let handle: ServeHandle | undefined;
  const errors: string[] = [];
  const renders: string[][] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-live-'));
    mkdirSync(join(root, 'specs'));
    writeFileSync(join(root, 'specs/a.md'), 'one');
    errors.length = 0;
    renders.length = 0;
  });

  afterEach(async () => {
    await handle?.close();
    handle = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  /** Renders specs/a.md's text; a text starting with "bad" fails like a spec that does not parse. */
  const render = (changed: string[]): ServedBuild => {
    renders.push(changed);
    const text = readFileSync(join(root, 'specs/a.md'), 'utf8');
    if (text.startsWith('bad')) throw new Error(`specs/a.md:1: <${text}> is not a spec`);
    return { html: `<p>${text}</p>`, declaredOutputs: [] };
  };

  const start = async () => {
    handle = await serveWorkspace(root, 'specs', render, {
      port: 0,
      debounceMs: 60,
      log: { info: () => {}, error: (l) => errors.push(l) },
    });
    await handle.watching;
    return handle;
  };

  it('rebuilds once for a burst of saves, ignores the generated files, and never writes specs.html', async () => {
    const h = await start();
    expect((await get(h.port, '/')).body).toBe('<p>one</p>');
    writeFileSync(join(root, 'specs/a.md'), 'two');
    writeFileSync(join(root, 'specs/b.md'), 'x');
    writeFileSync(join(root, 'specs/a.md'), 'three');
    await settle(300);
    await h.live.idle();
    expect(renders.length).toBe(2);
    expect(renders[1]).toEqual(expect.arrayContaining(['specs/a.md', 'specs/b.md']));
    expect((await get(h.port, '/')).body).toBe('<p>three</p>');
    writeFileSync(join(root, 'specs/specs.html'), 'generated');
    writeFileSync(join(root, 'specs/_index.json'), '{}');
    await settle(300);
    expect(renders.length).toBe(2);
    expect(existsSync(join(root, 'specs/specs.html')) && readFileSync(join(root, 'specs/specs.html'), 'utf8')).toBe('generated');
  });

  it('symlinks present at start are not reported as changes', async () => {
    mkdirSync(join(root, 'results'));
    symlinkSync('/etc/hostname', join(root, 'results/link.json'));
    symlinkSync(join(root, 'specs'), join(root, 'results/dir-link'));
    const h = await start();
    await settle(300);
    await h.live.idle();
    expect(renders).toEqual([[]]);
  });

  it('serves an escaped error page until the first render succeeds, then the page', async () => {
    writeFileSync(join(root, 'specs/a.md'), 'bad <b>');
    const h = await start();
    const error = await get(h.port, '/');
    expect(error.status).toBe(503);
    expect(error.body).toContain('specs/a.md:1: &lt;bad &lt;b&gt;&gt; is not a spec');
    expect(error.body).toContain("new EventSource('/_specthis/events')");
    expect(errors[0]).toMatch(/render failed at start \(no build to serve yet\): specs\/a\.md:1/);
    writeFileSync(join(root, 'specs/a.md'), 'good');
    await settle(300);
    await h.live.idle();
    expect(await get(h.port, '/')).toEqual({ status: 200, body: '<p>good</p>' });
  });

  it('a port in use is an error, and nothing is left watching', async () => {
    const h = await start();
    await expect(serveWorkspace(root, 'specs', render, { port: h.port, log: { info: () => {}, error: () => {} } })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
