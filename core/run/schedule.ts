/** Why a job of a schedule never started. */
export type NotStarted = { kind: 'upstream-failed'; upstream: string } | { kind: 'stopped'; reason: string } | { kind: 'stuck' };

export type ScheduleEvent<R> = { id: string; started: true; result: R } | { id: string; started: false; why: NotStarted };

export interface ScheduleOptions<R> {
  /** At most this many jobs at once (at least 1). */
  parallel: number;
  /** Whether a finished job lets the jobs after it start. */
  succeeded(result: R): boolean;
  /** Once aborted, nothing more starts; what runs is left to end (the jobs see the same signal). */
  signal?: AbortSignal;
}

/**
 * Runs jobs in dependency order, `parallel` at a time, and yields each as it
 * ends: what the run executor's Nx batch (executors/run/batch.ts) and
 * `specthis run` (cli/commands/run.ts) both do with entries. A job starts once
 * every upstream job inside the schedule succeeded; one whose upstream failed,
 * or that is left when the run is stopped, never starts, and says why. Edges
 * to ids outside the schedule are ignored: the caller ran those already.
 */
export async function* schedule<R>(
  ids: readonly string[],
  upstreamOf: (id: string) => readonly string[],
  run: (id: string) => Promise<R>,
  options: ScheduleOptions<R>,
): AsyncGenerator<ScheduleEvent<R>> {
  const inside = new Set(ids);
  const upstream = new Map(ids.map((id) => [id, upstreamOf(id).filter((u) => inside.has(u))]));
  const succeeded = new Map<string, boolean>();
  const running = new Map<string, Promise<{ id: string; result: R }>>();
  const waiting = new Set(ids);
  const parallel = Math.max(1, Math.floor(options.parallel));
  const notStarted = (id: string, why: NotStarted): ScheduleEvent<R> => {
    waiting.delete(id);
    succeeded.set(id, false);
    return { id, started: false, why };
  };
  try {
    while (waiting.size || running.size) {
      // Until nothing changes: one job not started can keep the ones after it from starting too.
      for (let changed = true; changed;) {
        changed = false;
        for (const id of [...waiting]) {
          const ups = upstream.get(id)!;
          const failed = ups.find((u) => succeeded.get(u) === false);
          if (options.signal?.aborted) yield notStarted(id, { kind: 'stopped', reason: String(options.signal.reason) });
          else if (failed !== undefined) yield notStarted(id, { kind: 'upstream-failed', upstream: failed });
          else if (running.size < parallel && ups.every((u) => succeeded.get(u) === true)) {
            waiting.delete(id);
            running.set(
              id,
              run(id).then((result) => ({ id, result })),
            );
          } else continue;
          changed = true;
        }
      }
      if (!running.size) {
        // Nothing runs and nothing can start: a cycle among the ids, which neither caller's graph has.
        for (const id of [...waiting]) yield notStarted(id, { kind: 'stuck' });
        break;
      }
      const done = await Promise.race(running.values());
      running.delete(done.id);
      succeeded.set(done.id, options.succeeded(done.result));
      yield { id: done.id, started: true, result: done.result };
    }
  } finally {
    // The consumer stopped reading (the run was stopped): let what runs end, so nothing is left behind.
    await Promise.allSettled(running.values());
  }
}

/** A job that never started, in a sentence. */
export function describeNotStarted(why: NotStarted): string {
  switch (why.kind) {
    case 'upstream-failed':
      return `${why.upstream}, which it depends on, did not succeed`;
    case 'stopped':
      return `the run was stopped (${why.reason})`;
    case 'stuck':
      return 'its upstream tasks never finished';
  }
}
