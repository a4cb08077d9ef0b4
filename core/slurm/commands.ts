import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What one SLURM client command (scontrol, squeue, scancel, sacct) answered. */
export interface SlurmAnswer {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** The command was killed at its time bound: the controller did not answer in time. */
  timedOut: boolean;
  /** The command could not be started at all (not installed, not on PATH). */
  missing: boolean;
}

/**
 * Runs a SLURM client with an argument array (never a shell) and a hard time
 * bound: scontrol and squeue retry for 18 s by themselves when slurmctld is
 * down (measured, SLURM 22.05), and a hung controller holds them for its
 * MessageTimeout, so nothing here may wait on them unbounded.
 */
export function slurmCommand(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SlurmAnswer> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      resolve({
        ok: !e,
        stdout: String(stdout),
        stderr: String(stderr || (e && !('code' in e && typeof e.code === 'number') ? e.message : '')),
        timedOut: !!e?.killed,
        missing: e?.code === 'ENOENT',
      });
    });
  });
}

/** The line of an answer that says what went wrong, for messages. */
export function answerProblem(answer: SlurmAnswer, command: string, timeoutMs: number): string {
  if (answer.missing) return `${command} is not installed or not on PATH`;
  if (answer.timedOut) return `${command} got no answer within ${Math.round(timeoutMs / 1000)} s`;
  const lines = answer.stderr.trim().split('\n').filter(Boolean);
  return lines[lines.length - 1] ?? `${command} failed without a message`;
}

/**
 * The environment SLURM commands (and, through srun, the job) get. Inside an
 * allocation (an `salloc` shell, a batch job running Nx) the SLURM_* variables
 * describe that enclosing job, and srun would start a step inside it (with its
 * task count and CPUs) instead of a job of its own; they are dropped there, all
 * but SLURM_CONF. Outside one, SLURM_* are the user's own input defaults
 * (SLURM_ACCOUNT, ...) and pass through.
 */
export function slurmEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.SLURM_JOB_ID === undefined && env.SLURM_JOBID === undefined) return { ...env };
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SLURM_') || k === 'SLURM_CONF'));
}

/**
 * "host:port" of the controller as slurm.conf names it, for messages when it
 * does not answer (and so cannot be asked). Undefined when the file cannot be
 * read (configless setups, another path).
 */
export function controllerAddress(env: NodeJS.ProcessEnv): string | undefined {
  let text: string;
  try {
    text = readFileSync(env.SLURM_CONF || '/etc/slurm/slurm.conf', 'utf8');
  } catch {
    return undefined;
  }
  const setting = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*([^\\s#]+)`, 'im').exec(text)?.[1];
  // SlurmctldHost=name(address) or the older ControlMachine=name.
  const host = (setting('SlurmctldHost') ?? setting('ControlMachine'))?.replace(/\(.*$/, '');
  if (!host) return undefined;
  return `${host}:${setting('SlurmctldPort')?.split('-')[0] ?? '6817'}`;
}
