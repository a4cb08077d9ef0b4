import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { TempWorkspace } from './__fixtures__/workspace';
import { execute } from './execute';
import { abortOnSignals } from '../process/signals';

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace({})));
afterEach(() => ws.cleanup());

function sink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (chunks.push(chunk), done()) });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}
/** Running, not a zombie: an orphan whose parent shell died waits for init (which may never reap it in a container). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/**
 * Whether the process is still alive after up to 2 s: the run ends when the shell
 * has exited, and on a loaded machine the signalled sleep in its group may not
 * have been scheduled to die yet (it would live its 30 s if never signalled).
 */
async function survives(pid: number): Promise<boolean> {
  for (const until = Date.now() + 2_000; alive(pid) && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
  return alive(pid);
}

/** Live descendants of a process, from /proc. */
function descendants(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const [, state, ppid] = /\) (\S) (\d+)/.exec(stat)!;
        return { pid: Number(d), ppid: Number(ppid), state };
      } catch {
        return undefined;
      }
    })
    .filter((p): p is { pid: number; ppid: number; state: string } => !!p && p.ppid === pid && p.state !== 'Z')
    .map((p) => p.pid);
  return children.flatMap((c) => [c, ...descendants(c)]);
}

describe('execute', () => {
  it('runs from the workspace root, streams stdout and stderr, and logs both after a header', async () => {
    const out = sink();
    const err = sink();
    const r = await execute({
      root: ws.root,
      entry: 'e',
      command: `node -e "console.log(process.cwd()); console.error('oops')"`,
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(r).toMatchObject({ exitCode: 0, aborted: false, logFile: '.specthis/logs/e.log' });
    expect(r.signal).toBeUndefined();
    expect(out.text().trim()).toBe(require('node:fs').realpathSync(ws.root));
    expect(err.text()).toBe('oops\n');
    expect(Date.parse(r.end) - Date.parse(r.start)).toBeGreaterThanOrEqual(0);
    const log = ws.read('.specthis/logs/e.log').split('\n');
    expect(log[0]).toBe(`# specthis: e started ${r.start}: node -e "console.log(process.cwd()); console.error('oops')"`);
    expect(log).toContain('oops');
    expect(log[log.length - 2]).toMatch(/^# specthis: e exited 0 after \d+ ms, /);
  });

  it('reports the exit code and overwrites the log per run', async () => {
    const quiet = { stdout: sink().stream, stderr: sink().stream };
    await execute({ root: ws.root, entry: 'e', command: 'echo first', ...quiet });
    const r = await execute({ root: ws.root, entry: 'e', command: 'exit 3', ...quiet });
    expect(r.exitCode).toBe(3);
    expect(ws.read('.specthis/logs/e.log')).not.toContain('first');
  });

  async function startSleeper(signal: AbortSignal, killGraceMs?: number) {
    const out = sink();
    // A background job, so the stop must reach the group, not only the shell.
    const run = execute({
      root: ws.root,
      entry: 'e',
      command: 'sleep 30 & echo $!; wait',
      stdout: out.stream,
      stderr: sink().stream,
      signal,
      killGraceMs,
    });
    while (!out.text()) await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(out.text().trim());
    expect(alive(grandchild)).toBe(true);
    return { run, grandchild };
  }

  it('stops the whole process group when aborted, forwarding the signal', async () => {
    const controller = new AbortController();
    const { run, grandchild } = await startSleeper(controller.signal);
    controller.abort('SIGTERM');
    const r = await run;
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGTERM', aborted: true });
    expect(await survives(grandchild)).toBe(false);
    expect(ws.read('.specthis/logs/e.log')).toMatch(/# specthis: e was stopped by SIGTERM \(ended by SIGTERM\) after \d+ ms/);
  });

  it('kills outright what ignores the forwarded signal after the grace period', async () => {
    // Background jobs of a non-interactive shell ignore SIGINT (POSIX), so only the escalation stops this sleep.
    const controller = new AbortController();
    const { run, grandchild } = await startSleeper(controller.signal, 200);
    controller.abort('SIGINT');
    const r = await run;
    expect(r.aborted).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(await survives(grandchild)).toBe(false);
  });

  it('counts a leaf-first stop of the process tree (how Nx 24 stops tasks) as an abort, even when the command then exits 0', async () => {
    const out = sink();
    const run = execute({
      root: ws.root,
      entry: 'e',
      command: `exec bash -c 'sleep 30 & trap "" TERM; echo go; wait; echo carried on'`,
      stdout: out.stream,
      stderr: sink().stream,
    });
    while (!out.text()) await new Promise((r) => setTimeout(r, 20));
    // Round one of killProcessTreeGraceful: every leaf of this process's tree gets the signal.
    // bash ignores TERM so it deterministically carries on to exit 0, as an unguarded script would.
    const leaves = descendants(process.pid).filter((pid) => descendants(pid).length === 0);
    expect(leaves.length).toBe(2); // the sentinel and `sleep`
    for (const pid of leaves) process.kill(pid, 'SIGTERM');
    const r = await run;
    expect(out.text()).toContain('carried on');
    expect(r).toMatchObject({ exitCode: 0, aborted: true, stoppedBy: 'SIGTERM' });
    expect(ws.read('.specthis/logs/e.log')).toMatch(/was stopped by SIGTERM \(exited 0\)/);
  });

  it('turns a stop signal to this process into an abort', () => {
    const stop = abortOnSignals(['SIGTERM']);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(stop.signal.aborted).toBe(true);
      expect(stop.signal.reason).toBe('SIGTERM');
    } finally {
      stop.dispose();
    }
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
