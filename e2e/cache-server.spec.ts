import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { FAKE_AWS_ENV, freePort, motoInstalled, startMoto, type Moto } from './support/moto';
import { e2eRoot, templateDir } from './support/paths';
import { TestWorkspace } from './support/workspace';

/**
 * The team's Nx remote cache with the real Nx 24 client: `specthis
 * cache-server` (the packed CLI, as a process of its own: the nx runs below
 * block this one) over moto on loopback. A (write token) fills it; a fresh
 * copy B (read token) gets every task from it and runs no script; B's own
 * edit runs, and its uploads are refused without failing the run; C's run
 * survives the store dying under it; and without a token Nx is told why.
 */
jest.setTimeout(600_000);

const BUCKET = 'specthis-nx-e2e';
const WRITE = 'ci-write-0123456789abcdef0123456789abcdef';
const READ = 'pr-read-0123456789abcdef0123456789abcdef';
const ENTRY_TASKS = [
  'specs-data:compute--clean-panel',
  'specs-models:compute--mincer-baseline',
  'specs-models:compute--mincer-with-region',
  'specs-paper:export--wage-table',
];
/** Each entry task's upstream entry tasks in the example (examples/research/specs). */
const UPSTREAM: Record<string, string[]> = {
  'specs-data:compute--clean-panel': [],
  'specs-models:compute--mincer-baseline': ['specs-data:compute--clean-panel'],
  'specs-models:compute--mincer-with-region': ['specs-data:compute--clean-panel'],
  'specs-paper:export--wage-table': ['specs-models:compute--mincer-baseline', 'specs-models:compute--mincer-with-region'],
};
const hasMoto = motoInstalled();
if (!hasMoto) console.warn('cache-server e2e: moto is not installed (python3 -c "import moto"); skipped');

interface ServerProcess {
  url: string;
  child: ChildProcess;
  lines: string[];
  /** Called with each log line as it arrives. */
  onLine?: (line: string) => void;
}

/** `specthis cache-server` from the installed package, on a free loopback port; resolves once it prints where it listens. */
async function startServer(moto: Moto): Promise<ServerProcess> {
  const cli = join(templateDir(), 'node_modules', '@specthis', 'nx', 'dist', 'cli', 'main.js');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'cache-server', '--store', `s3://${BUCKET}/team`, '--port', String(port)], {
      cwd: e2eRoot(),
      env: {
        ...withoutAws(process.env),
        ...FAKE_AWS_ENV,
        AWS_ENDPOINT_URL_S3: moto.endpoint,
        SPECTHIS_CACHE_SERVER_WRITE_TOKENS: WRITE,
        SPECTHIS_CACHE_SERVER_READ_TOKENS: READ,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server: ServerProcess = { url: '', child, lines: [] };
    const killOnExit = () => child.kill('SIGKILL');
    process.on('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    let pending = '';
    const take = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        server.lines.push(line);
        server.onLine?.(line);
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    const url = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 30_000);
      server.onLine = (line) => {
        const m = /NX_SELF_HOSTED_REMOTE_CACHE_SERVER=(\S+)/.exec(line);
        if (!m) return;
        clearTimeout(timer);
        resolve(m[1]);
      };
      child.once('exit', () => (clearTimeout(timer), resolve(undefined)));
    });
    server.onLine = undefined;
    if (url) {
      server.url = url;
      return server;
    }
    lastError = server.lines.join('\n');
    await stopServer(server);
  }
  throw new Error(`specthis cache-server did not start: ${lastError}`);
}

/** By PID: SIGTERM (the server closes cleanly), SIGKILL after 5 s. */
async function stopServer(server: ServerProcess | undefined): Promise<void> {
  const child = server?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^AWS_/.test(k)));
}

/**
 * The whole pipeline through the real nx, without blocking this process: the
 * server's log is read here while Nx runs (a blocked reader would also leave
 * the server writing into a full pipe), and the C test acts mid-run. Only the
 * remote cache variables given here reach Nx.
 */
async function runAll(ws: TestWorkspace, cache: Record<string, string | undefined>): Promise<{ code: number; output: string }> {
  const env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: undefined, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: undefined, ...cache };
  const { code, output } = await ws.nxAsyncEnv(env, 'run-many', '-t', 'compute', 'export', '--outputStyle=static').done;
  return { code: code ?? 1, output };
}

/** Each entry task's cache status in the last run (the nx:noop parents are never cached): remote-cache-hit, local-cache-hit or cache-miss. */
function cacheStatuses(ws: TestWorkspace): Record<string, string> {
  return Object.fromEntries(
    ws
      .lastRun()
      .filter((t) => t.taskId.includes('--'))
      .map((t) => [t.taskId, t.cacheStatus]),
  );
}

/** Every output and receipt the pipeline writes, path to bytes. */
function outputs(ws: TestWorkspace): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(ws.path(rel), { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else files[path] = readFileSync(ws.path(path)).toString('base64');
    }
  };
  for (const dir of ['results', 'reports/tables', '.specthis/receipts']) walk(dir);
  return files;
}

/** Scripts that ran leave their logs in .specthis/logs; outputs restored from a cache do not. */
function scriptLogs(ws: TestWorkspace): string[] {
  return ws.exists('.specthis/logs') ? readdirSync(ws.path('.specthis/logs')).sort() : [];
}

(hasMoto ? describe : describe.skip)('the Nx remote cache server with the real Nx 24', () => {
  let moto: Moto;
  let server: ServerProcess;
  let a: TestWorkspace;
  let aOutputs: Record<string, string>;
  const requests = (from: number, pattern: RegExp) => server.lines.slice(from).filter((l) => pattern.test(l));
  /** Waits until the server's log has been quiet for 300 ms: it writes each line once the answer has gone. */
  const quiet = async () => {
    for (let seen = -1; seen !== server.lines.length;) {
      seen = server.lines.length;
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const run = async (ws: TestWorkspace, cache: Record<string, string | undefined>) => {
    const r = await runAll(ws, cache);
    await quiet();
    return r;
  };

  beforeAll(async () => {
    moto = await startMoto([BUCKET]);
    server = await startServer(moto);
  });
  afterAll(async () => {
    await stopServer(server);
    await moto?.stop();
  });

  it('workspace A, with the write token, runs every task and stores each one', async () => {
    a = TestWorkspace.fromExample('cache-a');
    const r = await run(a, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: WRITE });
    expect(r.code).toBe(0);
    expect(cacheStatuses(a)).toEqual(Object.fromEntries(ENTRY_TASKS.map((t) => [t, 'cache-miss'])));
    const hashes = a
      .lastRun()
      .filter((t) => t.taskId.includes('--'))
      .map((t) => t.hash);
    for (const hash of hashes) expect(requests(0, new RegExp(`PUT ${hash} 200 \\d+ B \\d+ ms token=write$`))).toHaveLength(1);
    aOutputs = outputs(a);
    expect(Object.keys(aOutputs)).toHaveLength(8);
  });

  it('a fresh copy B, with a read token, gets every task from the cache: no script runs, the outputs are byte-identical', async () => {
    const b = TestWorkspace.fromExample('cache-b');
    // The same commit content as A: what a clone would check out.
    expect(b.git('rev-parse', 'HEAD^{tree}').stdout).toBe(a.git('rev-parse', 'HEAD^{tree}').stdout);
    const from = server.lines.length;
    const cache = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: READ };
    const r = await run(b, cache);
    expect(r.code).toBe(0);
    expect(cacheStatuses(b)).toEqual(Object.fromEntries(ENTRY_TASKS.map((t) => [t, 'remote-cache-hit'])));
    expect(scriptLogs(b)).toEqual([]);
    expect(outputs(b)).toEqual(aOutputs);
    expect(requests(from, / GET \d+ 200 \d+ B \d+ ms token=read$/)).toHaveLength(4);
    expect(requests(from, / PUT /)).toEqual([]);

    // B edits one script: that task runs, its upload is refused (403, which Nx accepts), and the run succeeds.
    b.write('scripts/export_wage_table.py', `${b.read('scripts/export_wage_table.py')}\n# B's edit\n`);
    const edited = server.lines.length;
    const again = await run(b, cache);
    expect(again.code).toBe(0);
    expect(cacheStatuses(b)).toEqual({
      'specs-data:compute--clean-panel': 'local-cache-hit',
      'specs-models:compute--mincer-baseline': 'local-cache-hit',
      'specs-models:compute--mincer-with-region': 'local-cache-hit',
      'specs-paper:export--wage-table': 'cache-miss',
    });
    expect(scriptLogs(b)).toEqual(['wage-table.log']);
    const wage = b.lastRun().find((t) => t.taskId === 'specs-paper:export--wage-table')?.hash;
    expect(requests(edited, / PUT /)).toEqual([expect.stringMatching(new RegExp(`PUT ${wage} 403 \\d+ B \\d+ ms token=read$`))]);
  });

  it("C's run, with the store dying under it, exits 0 and runs what it cannot get locally", async () => {
    const c = TestWorkspace.fromExample('cache-c');
    await quiet();
    const from = server.lines.length;
    // The first answer C gets is the last the store gives: moto is killed as soon as the server logs it.
    server.onLine = (line) => {
      if (/ GET \d+ /.test(line)) {
        server.onLine = undefined;
        process.kill(moto.pid, 'SIGKILL');
      }
    };
    const r = await run(c, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: WRITE });
    expect(r.code).toBe(0);
    const statuses = cacheStatuses(c);
    expect(statuses['specs-data:compute--clean-panel']).toBe('remote-cache-hit');
    const ran = ENTRY_TASKS.filter((t) => statuses[t] === 'cache-miss');
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.length + ENTRY_TASKS.filter((t) => statuses[t] === 'remote-cache-hit').length).toBe(4);
    expect(scriptLogs(c).length).toBe(ran.length);
    // Results are the same bytes (the scripts are deterministic); receipts of what ran are C's own.
    const cOutputs = outputs(c);
    for (const [path, bytes] of Object.entries(aOutputs))
      if (!path.startsWith('.specthis/')) expect([path, cOutputs[path]]).toEqual([path, bytes]);
    // The misses and refused uploads said why; none of them was anything but a 404 or a 403. Nx asks
    // for a task only when nothing upstream of it in the batch missed: behind a miss it runs the task
    // and hashes it afterwards (nx/src/tasks-runner/task-orchestrator.js, applyBatchCachedResults).
    const askedFor = ran.filter((t) => UPSTREAM[t]!.every((u) => statuses[u] === 'remote-cache-hit'));
    expect(askedFor.length).toBeGreaterThan(0);
    expect(requests(from, / GET \d+ 404 0 B \d+ ms token=write \(the store failed: /).length).toBe(askedFor.length);
    expect(requests(from, / PUT \d+ 403 \d+ B \d+ ms token=write \(the store failed: /).length).toBe(ran.length);
    expect(requests(from, / (GET|PUT) \d+ (?!200|404|403)\d{3} /)).toEqual([]);
  });

  it("without a token, Nx stops with the server's message: a 401 in text/plain", async () => {
    const answer = await new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) =>
      request(`${server.url}/v1/cache/1`, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
      })
        .on('error', reject)
        .end(),
    );
    expect(answer).toEqual({ status: 401, type: 'text/plain', body: expect.stringMatching(/^unauthorized: no token; /) });
    const d = TestWorkspace.fromExample('cache-d');
    const r = await run(d, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url });
    expect(r.code).toBe(1);
    // Nx prints the body only for a 401 whose content type is exactly text/plain.
    expect(r.output).toContain('Unauthorized: unauthorized: no token; set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN');
    expect(r.output).not.toContain('Requests should respond with text/plain');
    expect(server.lines.join('\n')).not.toContain(WRITE);
    expect(server.lines.join('\n')).not.toContain(READ);
  });
});
