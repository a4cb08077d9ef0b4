import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LiveBuild, type ServedBuild } from './live-build';
import { startServer, type RunningServer } from './server';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with the path exactly as given (no URL normalization) and an explicit Host. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { Host: `127.0.0.1:${port}`, ...headers };
    if (all.Host === '') delete all.Host; // and setHost: false, so no Host header is sent at all
    const req = request({ host: '127.0.0.1', port, path, method, headers: all, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'TOP-SECRET-0451';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('startServer', () => {
  let root: string;
  let outside: string;
  let server: RunningServer;
  let live: LiveBuild;
  let page = 1;
  let fail = false;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'specthis-serve-'));
    outside = mkdtempSync(join(tmpdir(), 'specthis-outside-'));
    mkdirSync(join(root, 'results/a'), { recursive: true });
    mkdirSync(join(root, 'reports'), { recursive: true });
    writeFileSync(join(root, 'results/a/out.json'), JSON.stringify({ note: '</pre><script>alert(1)</script>', n: 1 }));
    writeFileSync(join(root, 'results/a/log.txt'), 'a < b & c\n');
    writeFileSync(join(root, 'reports/fig.png'), PNG);
    writeFileSync(join(root, 'reports/fig.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    writeFileSync(join(root, '.env'), SECRET);
    writeFileSync(join(outside, 'secret.json'), SECRET);
    symlinkSync(join(outside, 'secret.json'), join(root, 'results/a/escape.json'));
    symlinkSync(join(root, '.env'), join(root, 'results/a/dotenv.json'));
    symlinkSync(join(root, 'results/a'), join(root, 'results/dir.json'));
    const declared = [
      'reports/fig.png',
      'reports/fig.svg',
      'results/a/dotenv.json',
      'results/a/escape.json',
      'results/a/log.txt',
      'results/a/missing.json',
      'results/a/out.json',
      'results/dir.json',
    ];
    live = new LiveBuild(
      (): ServedBuild => {
        if (fail) throw new Error('specs/x.md: broken');
        return { html: `<!doctype html><p>page ${page}</p>`, declaredOutputs: declared };
      },
      { info: () => {}, error: () => {} },
      5,
    );
    await live.start();
    server = await startServer({ root, live, port: 0, keepaliveMs: 50 });
  });

  afterAll(async () => {
    await server.close();
    live.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('serves the page at / with the security headers and no CORS header, even when Origin is sent', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const r = await get(server.port, '/', { Origin: 'http://evil.example' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('<!doctype html><p>page 1</p>');
    expect(r.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-type': 'text/html; charset=utf-8',
    });
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('HEAD sends the headers without a body; other methods get 405', async () => {
    const head = await get(server.port, '/', {}, 'HEAD');
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', String('<!doctype html><p>page 1</p>'.length)]);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await get(server.port, '/', {}, method);
      expect([method, r.status, r.headers.allow]).toEqual([method, 405, 'GET, HEAD']);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses a Host that is not local (DNS rebinding) and a missing Host', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, 'localhost:1', `127.0.0.1.evil.example:${server.port}`, '']) {
      const r = await get(server.port, '/', { Host: host });
      expect([host, r.status]).toEqual([host, host === '' ? 400 : 403]); // node itself answers 400 to HTTP/1.1 without Host
      expect(r.body).not.toContain('page 1');
    }
    for (const host of [`localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`])
      expect((await get(server.port, '/', { Host: host })).status).toBe(200);
    const http10 = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c));
      socket.on('end', () => resolve(text));
    });
    expect(http10).toMatch(/^HTTP\/1\.[01] 403 /);
  });

  it('shows a declared JSON output pretty-printed and escaped in a sandboxed page', async () => {
    const r = await get(server.port, '/files/results/a/out.json');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(r.body).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.body).not.toContain('<script>');
    expect(r.body).toContain('  &quot;n&quot;: 1');
    expect((await get(server.port, '/files/results/a/log.txt')).body).toContain('<pre>a &lt; b &amp; c\n</pre>');
  });

  it('serves images raw with their type, and SVG sandboxed', async () => {
    const png = await get(server.port, '/files/reports/fig.png');
    expect([png.status, png.headers['content-type'], png.headers['x-content-type-options']]).toEqual([200, 'image/png', 'nosniff']);
    const svg = await get(server.port, '/files/reports/fig.svg');
    expect([svg.status, svg.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(svg.headers['content-security-policy']).toBe("sandbox; default-src 'none'; style-src 'unsafe-inline'");
  });

  it('refuses symlink escapes, dot files, directories, missing and undeclared files', async () => {
    for (const path of [
      '/files/results/a/escape.json',
      '/files/results/a/dotenv.json',
      '/files/results/dir.json',
      '/files/results/a/missing.json',
      '/files/.env',
      '/files/%2e%2e/%2e%2e/etc/passwd',
      '/files//etc/passwd',
      '/files/reports',
      '/files/',
      '/files',
    ]) {
      const r = await get(server.port, path);
      expect([path, [400, 403, 404].includes(r.status)]).toEqual([path, true]);
      expect(r.body).not.toContain(SECRET);
    }
    for (const path of ['/index.html', '/results/a/out.json', '/specs.html', '/_specthis', '/%2e%2e/.env'])
      expect((await get(server.port, path)).status).toBe(404);
  });

  it('pushes reload over SSE after a rebuild, and keeps the last good page when a rebuild fails', async () => {
    const received: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/_specthis/events', headers: { Host: `localhost:${server.port}` } },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            received.push(chunk);
            if (received.join('').includes('event: reload')) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 120));
    page = 2;
    live.notify('specs/a.md');
    await done;
    const text = received.join('');
    expect(text).toMatch(/^retry: 2000\nid: 1\n\n/);
    expect(text).toContain(': keepalive\n\n');
    expect(text).toContain('event: reload\nid: 2\ndata: 2\n\n');
    expect((await get(server.port, '/')).body).toContain('page 2');

    fail = true;
    live.notify('specs/x.md');
    await live.idle();
    expect((await get(server.port, '/')).body).toContain('page 2');
    fail = false;
  });

  it('tells a page served from an older build to reload as soon as it opens its stream (?since=, from Server-Timing)', async () => {
    const page = await new Promise<{ timing: string | undefined }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: `localhost:${server.port}` } }, (res) => {
        res.resume();
        resolve({ timing: res.headers['server-timing'] as string | undefined });
      })
        .on('error', reject)
        .end();
    });
    const served = /^specthis-build;desc="(\d+)"$/.exec(page.timing ?? '')?.[1];
    expect(served).toBeDefined();
    const open = (since: string) =>
      new Promise<string>((resolve) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, path: `/_specthis/events?since=${since}`, headers: { Host: `localhost:${server.port}` } },
          (res) => {
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (chunk: string) => (text += chunk));
            setTimeout(() => (req.destroy(), resolve(text)), 150);
          },
        );
        req.on('error', () => {});
        req.end();
      });
    // The build it was served from: nothing to do. One before it: reload now.
    expect(await open(served!)).not.toContain('event: reload');
    expect(await open(String(Number(served) - 1))).toMatch(/event: reload\nid: \d+\ndata: \d+/);
  });

  it('tells a reconnecting page from another build to reload at once (Last-Event-ID)', async () => {
    const first = await new Promise<string>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/_specthis/events',
          headers: { Host: `localhost:${server.port}`, 'Last-Event-ID': '1' },
        },
        (res) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (chunk: string) => {
            text += chunk;
            if (!text.includes('event: reload')) return;
            req.destroy();
            resolve(text);
          });
        },
      );
      req.on('error', () => {});
      req.end();
    });
    expect(first).toMatch(/event: reload\nid: \d+\ndata: \d+/);
  });
});
