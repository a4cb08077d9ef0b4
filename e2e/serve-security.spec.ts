import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { e2eRoot } from './support/paths';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(120_000);

const SECRET = 'SPECTHIS-E2E-SECRET-7f3a';
/** A line every /etc/passwd has; its appearance in a body means the file leaked. */
const PASSWD = /root:.*:0:0:/;
const PANEL = 'results/compute-clean-clean-panel/panel.json';
const TO_PASSWD = 'results/compute-mincer-mincer-baseline/estimates.json';
const TO_OUTSIDE = 'results/compute-mincer-mincer-with-region/estimates.json';
const TO_DOTENV = 'reports/tables/mincer.tex';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request whose path goes on the wire exactly as written, with exactly the headers given (no automatic Host). */
function send(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request without any Host header, in HTTP/1.0 (where Host is optional, so it reaches the server's own check). */
function sendWithoutHost(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`GET ${path} HTTP/1.0\r\n\r\n`));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (text += c));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('specthis serve: only the dashboard and declared outputs, only to local hosts', () => {
  let ws: TestWorkspace;
  let outside: string;
  let child: ChildProcess;
  let port: number;
  let stdout = '';
  let stderr = '';
  const get = (path: string, headers: Record<string, string> = {}) => send(port, path, { Host: `127.0.0.1:${port}`, ...headers });

  beforeAll(async () => {
    ws = TestWorkspace.fromExample('serve');
    outside = mkdtempSync(join(e2eRoot(), 'outside-'));
    writeFileSync(join(outside, 'secret.json'), JSON.stringify({ secret: SECRET }));
    mkdirSync(ws.path('results/compute-clean-clean-panel'), { recursive: true });
    mkdirSync(ws.path('results/compute-mincer-mincer-baseline'), { recursive: true });
    mkdirSync(ws.path('results/compute-mincer-mincer-with-region'), { recursive: true });
    mkdirSync(ws.path('reports/tables'), { recursive: true });
    ws.write(PANEL, JSON.stringify({ rows: 3, note: "</pre><script>alert('owned')</script>" }));
    symlinkSync('/etc/passwd', ws.path(TO_PASSWD));
    symlinkSync(join(outside, 'secret.json'), ws.path(TO_OUTSIDE));
    ws.write('.env', `API_TOKEN=${SECRET}\n`);
    symlinkSync(ws.path('.env'), ws.path(TO_DOTENV));
    ws.git('config', 'e2e.secret', SECRET);
    ws.write('scripts/secret_notes.py', `# ${SECRET}\n`);

    // The packed package's `specthis` bin, as a user runs it; --port 0 makes it print the port it bound.
    child = spawn(process.execPath, [ws.path('node_modules', '.bin', 'specthis'), 'serve', '--port', '0', '--debounce', '50'], {
      cwd: ws.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s\n${stdout}\n${stderr}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = /the live dashboard is at http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code} before listening\n${stdout}\n${stderr}`)));
    });
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(outside, { recursive: true, force: true });
  });

  it('serves the rendered dashboard at / from memory, without writing specs.html', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toMatch(/<html/i);
    expect(r.body).toContain('/_specthis/events');
    expect(ws.exists('specs/specs.html')).toBe(false);
  });

  it('shows a declared JSON output escaped: a </pre><script> inside a value stays text', async () => {
    const r = await get(`/files/${PANEL}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(r.body).toContain('&lt;/pre&gt;&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;');
    expect(r.body).not.toMatch(/<script/i);
  });

  const ATTACKS = [
    // traversal, in every encoding
    '/files/../package.json',
    '/files/../../../../../../etc/passwd',
    '/files/results/../package.json',
    '/files/%2e%2e/package.json',
    '/files/%2e%2e%2fpackage.json',
    '/files/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/files/%252e%252e/package.json',
    '/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd',
    '/files/..\\package.json',
    '/files/..\\..\\..\\etc\\passwd',
    '/files/..%5cpackage.json',
    '/files/%5c..%5c..%5cetc%5cpasswd',
    '/files/%c0%ae%c0%ae/package.json',
    '/files/%c0%ae%c0%ae%c0%afetc%c0%afpasswd',
    `/files/${PANEL}%00`,
    `/files/${PANEL}%00.png`,
    '/files/%00../package.json',
    // absolute paths
    '/files//etc/passwd',
    '/files/%2fetc%2fpasswd',
    '//etc/passwd',
    '/etc/passwd',
    '/files/etc/passwd',
    `http://127.0.0.1/files/../package.json`,
    // declared outputs that are symlinks out of the workspace or to a hidden file
    `/files/${TO_PASSWD}`,
    `/files/${TO_OUTSIDE}`,
    `/files/${TO_DOTENV}`,
    // secrets and undeclared files
    '/files/.git/config',
    '/.git/config',
    '/files/.env',
    '/.env',
    '/files/scripts/secret_notes.py',
    '/files/scripts/fit_mincer.py',
    '/files/specs/models/compute-mincer.md',
    '/files/package.json',
    '/files/nx.json',
    '/package.json',
    '/specs/specs.html',
    '/scripts/secret_notes.py',
    // directories: no listings
    '/files/results',
    '/files/results/',
    '/files/',
    `/files/results/compute-clean-clean-panel/./panel.json`,
    `/files/results//compute-clean-clean-panel/panel.json`,
  ];

  it.each(ATTACKS)('refuses %s', async (path) => {
    const r = await get(path);
    expect([400, 403, 404]).toContain(r.status);
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toMatch(PASSWD);
    expect(r.body).not.toContain('"name"'); // package.json / nx.json content
  });

  it('refuses requests whose Host is not local (DNS rebinding), and a request without Host', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost`,
      `localhost:${port + 1}`,
      `0.0.0.0:${port}`,
    ]) {
      for (const path of ['/', `/files/${PANEL}`, '/_specthis/events']) {
        const r = await send(port, path, { Host: host });
        expect([host, path, r.status]).toEqual([host, path, 403]);
        expect(r.body).not.toContain('rows');
      }
    }
    expect(await sendWithoutHost(port, `/files/${PANEL}`)).toMatch(/^HTTP\/1\.[01] 403 /);
    for (const host of [`localhost:${port}`, `[::1]:${port}`]) expect((await send(port, '/', { Host: host })).status).toBe(200);
  });

  it('sends no CORS headers, even to a cross-origin request or preflight, and refuses other methods', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', `/files/${PANEL}`],
      ['OPTIONS', `/files/${PANEL}`],
      ['POST', '/'],
      ['PUT', `/files/${PANEL}`],
      ['DELETE', `/files/${PANEL}`],
    ]) {
      const r = await send(
        port,
        path,
        { Host: `localhost:${port}`, Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
        method,
      );
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      if (method !== 'GET') expect(r.status).toBe(405);
    }
  });

  it('pushes a reload when a spec changes, and stops cleanly on SIGTERM', async () => {
    const reloaded = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/_specthis/events', headers: { Host: `localhost:${port}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (text.includes('event: reload')) {
            resolve(text);
            req.destroy();
          }
        });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
    while (!stdout.includes('for changes')) await new Promise((r) => setTimeout(r, 50)); // the watcher's initial scan is done
    const spec = 'specs/models/compute-mincer.md';
    ws.write(spec, readFileSync(ws.path(spec), 'utf8').replace(/\n## /, '\nA sentence added while serving.\n\n## '));
    expect(await reloaded).toMatch(/event: reload\nid: 2\ndata: 2/);
    expect(stdout).toMatch(/rebuilt after 1 change \(specs\/models\/compute-mincer\.md\) in \d+ ms \(build 2\)/);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM, stopping');
  });
});
