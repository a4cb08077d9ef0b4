import { spawn } from 'node:child_process';

export interface Sentinel {
  /** Ends the sentinel; resolves with the signal it died of, if something signalled it first. */
  finish(): Promise<NodeJS.Signals | undefined>;
}

/**
 * Learns that this process's tree is being stopped before the command can
 * finish "successfully". Nx 24 stops a task leaf-first (measured with its
 * killProcessTreeGraceful: signal the leaves, wait, then their parents), so a
 * shell script whose child is killed carries on, can exit 0, and the executor
 * itself is signalled only after it has written a receipt. This sentinel is a
 * leaf child of the executor, signalled in that same first round; its death by
 * a signal means "stop". It reads stdin, so it also exits when this process dies.
 */
export function startSentinel(onStop: (signal: NodeJS.Signals) => void): Sentinel {
  let stoppedBy: NodeJS.Signals | undefined;
  let finished = false;
  const child = spawn('/bin/sh', ['-c', 'read _'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = new Promise<void>((resolve) => {
    child.on('error', () => resolve());
    child.on('exit', (_code, sig) => {
      if (sig && !finished) {
        stoppedBy = sig;
        onStop(sig);
      }
      resolve();
    });
  });
  child.stdin!.on('error', () => undefined);
  return {
    finish: async () => {
      // A signal that lands while we wind down still counts: safer to skip a receipt than to vouch for a stopped run.
      child.stdin!.end();
      await exited;
      finished = true;
      return stoppedBy;
    },
  };
}
