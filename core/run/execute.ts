import { LOGS_DIR, logRel } from '../layout';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startSentinel } from '../process/sentinel';

/** How long a child may take to exit after being asked before it is killed outright. */
const KILL_GRACE_MS = 10_000;

export interface ExecuteOptions {
  root: string;
  /** Names the log file, `.specthis/logs/<entry>.log`. */
  entry: string;
  command: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Aborting stops the command; `signal.reason` may name the signal to forward (default SIGTERM). */
  signal?: AbortSignal;
  onSpawn?: (pid: number) => void;
  killGraceMs?: number;
}

export interface ExecuteResult {
  /** Null when the command was ended by a signal or could not start. */
  exitCode: number | null;
  /** The signal that ended the command, if one did. */
  signal?: NodeJS.Signals;
  /** True when the run was asked to stop (`options.signal`, or the process tree being stopped). */
  aborted: boolean;
  /** The signal that asked the run to stop. */
  stoppedBy?: NodeJS.Signals;
  /** Why the command could not start, if it could not. */
  error?: string;
  start: string;
  end: string;
  durationMs: number;
  /** Workspace-relative. */
  logFile: string;
}

/**
 * Runs a command with `/bin/sh -c` from the workspace root, streaming its output
 * to the terminal as it comes and into a log that is overwritten per run. The
 * command gets its own process group so a stop reaches everything it started
 * (a shell pipeline, an `mpirun`), not only the shell.
 */
export function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  const { root, entry, command } = options;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const logFile = logRel(entry);
  mkdirSync(join(root, LOGS_DIR), { recursive: true });
  const log = openSync(join(root, logFile), 'w');
  const startDate = new Date();
  const t0 = process.hrtime.bigint();
  writeSync(log, `# specthis: ${entry} started ${startDate.toISOString()}: ${command}\n`);

  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let aborted = false;
    let closed = false;
    let killTimer: NodeJS.Timeout | undefined;
    // Signals the group even after the shell itself exited: what it started may still hold the output pipes.
    const stop = (sig: NodeJS.Signals) => {
      if (child.pid === undefined || closed) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    let stoppedBy: NodeJS.Signals | undefined;
    const requestStop = (sig: NodeJS.Signals) => {
      if (aborted) return;
      aborted = true;
      stoppedBy = sig;
      stop(sig);
      killTimer = setTimeout(() => stop('SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = () => requestStop(isSignalName(options.signal?.reason) ? options.signal!.reason : 'SIGTERM');
    const sentinel = startSentinel(requestStop);
    // If this process exits (Nx tearing down, an uncaught error), the command must not live on unsupervised.
    const onExit = () => stop('SIGKILL');
    process.on('exit', onExit);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);

    const tee = (sink: NodeJS.WritableStream) => (chunk: Buffer) => {
      sink.write(chunk);
      writeSync(log, chunk);
    };
    child.stdout!.on('data', tee(stdout));
    child.stderr!.on('data', tee(stderr));

    let error: string | undefined;
    child.on('error', (e) => (error = e.message));
    // A shell killed from outside (OOM killer, `kill`) orphans what it started, which would keep the pipes open forever.
    child.on('exit', (_code, sig) => {
      if (!sig || aborted) return;
      stop('SIGTERM');
      killTimer = setTimeout(() => stop('SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
      killTimer.unref();
    });
    child.on('close', async (code, sig) => {
      closed = true;
      const sentinelSignal = await sentinel.finish();
      if (sentinelSignal) [aborted, stoppedBy] = [true, stoppedBy ?? sentinelSignal];
      clearTimeout(killTimer);
      process.off('exit', onExit);
      options.signal?.removeEventListener('abort', onAbort);
      const end = new Date();
      const durationMs = Number((process.hrtime.bigint() - t0) / 1_000_000n);
      const ended = error ? `could not start (${error})` : sig ? `was ended by ${sig}` : `exited ${code}`;
      const how = aborted ? `was stopped by ${stoppedBy} (${ended.replace(/^was /, '')})` : ended;
      writeSync(log, `# specthis: ${entry} ${how} after ${durationMs} ms, ${end.toISOString()}\n`);
      closeSync(log);
      resolve({
        exitCode: error ? null : code,
        ...(sig ? { signal: sig } : {}),
        aborted,
        ...(stoppedBy ? { stoppedBy } : {}),
        ...(error ? { error } : {}),
        start: startDate.toISOString(),
        end: end.toISOString(),
        durationMs,
        logFile,
      });
    });
  });
}

function isSignalName(value: unknown): value is NodeJS.Signals {
  return typeof value === 'string' && /^SIG[A-Z0-9]+$/.test(value);
}
