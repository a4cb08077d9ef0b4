import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** The single-node cluster of scripts/slurm-dev.sh; the same defaults as the script. */
export const SLURM_DIR = process.env.SPECTHIS_SLURM_DIR || '/tmp/specthis-slurm';
const SCRIPT = join(REPO_ROOT, 'scripts', 'slurm-dev.sh');

export interface DevSlurm {
  /** True when this call started the cluster; only then may the suite stop it. */
  started: boolean;
  /** The environment SLURM's client commands (and the runner) need to reach this cluster. */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Stops the cluster, by the PIDs its script recorded, if this call started it. */
  stop(): void;
  /** PID of a daemon (slurmctld, slurmd, munged) from its PID file, or undefined. */
  pid(daemon: 'slurmctld' | 'slurmd' | 'munged'): number | undefined;
}

/**
 * Makes sure a dev cluster answers (the default one, or one of its own in
 * `dir` on `port` and the port after it, so two suites that stop its
 * controller never disturb each other): when `scontrol ping` fails, runs
 * `scripts/slurm-dev.sh start` (which installs SLURM when missing and waits
 * until the node is idle) and says it did, so a suite stops only what it
 * started. CI starts the cluster itself around the whole test run.
 */
export function ensureSlurm(cluster: { dir?: string; port?: number } = {}): DevSlurm {
  const dir = cluster.dir ?? SLURM_DIR;
  const env = {
    ...process.env,
    SPECTHIS_SLURM_DIR: dir,
    SLURM_CONF: join(dir, 'slurm.conf'),
    ...(cluster.port ? { SPECTHIS_SLURM_PORT: String(cluster.port) } : {}),
  };
  const up = () => spawnSync('scontrol', ['ping'], { env, stdio: 'ignore', timeout: 15_000 }).status === 0;
  let started = false;
  if (!up()) {
    const run = spawnSync(SCRIPT, ['start'], { env, encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0)
      throw new Error(`scripts/slurm-dev.sh start failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
    started = true;
  }
  return {
    started,
    env,
    dir,
    stop: () => {
      if (started) execFileSync(SCRIPT, ['stop'], { env, stdio: 'inherit', timeout: 120_000 });
    },
    pid: (daemon) => {
      try {
        const pid = Number(readFileSync(join(dir, 'run', `${daemon}.pid`), 'utf8').trim());
        return Number.isInteger(pid) && pid > 0 ? pid : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Restarts whatever daemon of the dev cluster is not running (the script's start is per daemon). */
export function restartSlurm(env: NodeJS.ProcessEnv): void {
  execFileSync(SCRIPT, ['start'], { env, stdio: 'pipe', timeout: 120_000 });
}
