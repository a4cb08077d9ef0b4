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
  // Kahn's algorithm: each job counts the upstream jobs it still waits for, so a
  // finished job touches only its own downstream (a rescan of every waiting job
  // per finished one made 5,000 entries cost seconds).
  const inside = new Set(ids);
  const waitsFor = new Map<string, number>();
  const downstream = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    const ups = [...new Set(upstreamOf(id))].filter((u) => inside.has(u) && u !== id);
    waitsFor.set(id, ups.length);
    for (const u of ups) downstream.get(u)!.push(id);
  }
  const waiting = new Set(ids);
  const ready = ids.filter((id) => waitsFor.get(id) === 0);
  const running = new Map<string, Promise<{ id: string; result: R }>>();
  const parallel = Math.max(1, Math.floor(options.parallel));
  /** The job and, transitively, everything waiting downstream of it never start. */
  const cascade = function* (failed: string): Generator<ScheduleEvent<R>> {
    const stack = [failed];
    while (stack.length) {
      const upstream = stack.pop()!;
      for (const id of downstream.get(upstream)!) {
        if (!waiting.delete(id)) continue;
        yield { id, started: false, why: { kind: 'upstream-failed', upstream } };
        stack.push(id);
      }
    }
  };
  try {
    for (;;) {
      if (options.signal?.aborted) {
        const reason = String(options.signal.reason);
        for (const id of [...waiting]) {
          waiting.delete(id);
          yield { id, started: false, why: { kind: 'stopped', reason } };
        }
        ready.length = 0;
      }
      while (running.size < parallel && ready.length) {
        const id = ready.shift()!;
        waiting.delete(id);
        running.set(
          id,
          run(id).then((result) => ({ id, result })),
        );
      }
      if (!running.size) {
        // Nothing runs and nothing can start: a cycle among the ids, which neither caller's graph has.
        for (const id of [...waiting]) {
          waiting.delete(id);
          yield { id, started: false, why: { kind: 'stuck' } };
        }
        return;
      }
      const done = await Promise.race(running.values());
      running.delete(done.id);
      yield { id: done.id, started: true, result: done.result };
      if (!options.succeeded(done.result)) {
        yield* cascade(done.id);
        continue;
      }
      for (const id of downstream.get(done.id)!) {
        const left = waitsFor.get(id)! - 1;
        waitsFor.set(id, left);
        if (left === 0 && waiting.has(id)) ready.push(id);
      }
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
