import { describeNotStarted, schedule, type ScheduleEvent } from './schedule';

async function collect<R>(gen: AsyncGenerator<ScheduleEvent<R>>): Promise<ScheduleEvent<R>[]> {
  const out: ScheduleEvent<R>[] = [];
  for await (const e of gen) out.push(e);
  return out;
}
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('schedule', () => {
  it('starts a job only after every upstream job inside the schedule succeeded, and ignores edges to the outside', async () => {
    const started: string[] = [];
    const deps: Record<string, string[]> = { a: ['outside'], b: ['a'], c: ['a', 'b'] };
    const events = await collect(
      schedule(
        ['c', 'b', 'a'],
        (id) => deps[id]!,
        async (id) => (started.push(id), await tick(5), true),
        {
          parallel: 4,
          succeeded: (ok) => ok,
        },
      ),
    );
    expect(started).toEqual(['a', 'b', 'c']);
    expect(events.map((e) => [e.id, e.started])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);
  });

  it('runs at most `parallel` at once', async () => {
    let now = 0;
    let most = 0;
    const run = async () => {
      most = Math.max(most, ++now);
      await tick(10);
      now--;
      return true;
    };
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await collect(schedule(ids, () => [], run, { parallel: 2, succeeded: (ok) => ok }));
    expect(most).toBe(2);
    most = 0;
    await collect(schedule(ids, () => [], run, { parallel: 1, succeeded: (ok) => ok }));
    expect(most).toBe(1);
  });

  it('never starts what is downstream of a failure, transitively, and runs the rest', async () => {
    const deps: Record<string, string[]> = { a: [], b: ['a'], c: ['b'], d: [] };
    const started: string[] = [];
    const events = await collect(
      schedule(
        ['a', 'b', 'c', 'd'],
        (id) => deps[id]!,
        async (id) => (started.push(id), id !== 'a'),
        {
          parallel: 1,
          succeeded: (ok) => ok,
        },
      ),
    );
    expect(started.sort()).toEqual(['a', 'd']);
    const by = Object.fromEntries(events.map((e) => [e.id, e]));
    expect(by.b).toEqual({ id: 'b', started: false, why: { kind: 'upstream-failed', upstream: 'a' } });
    expect(by.c).toEqual({ id: 'c', started: false, why: { kind: 'upstream-failed', upstream: 'b' } });
    expect(describeNotStarted({ kind: 'upstream-failed', upstream: 'b' })).toBe('b, which it depends on, did not succeed');
  });

  it('starts nothing more once stopped, and lets the running job end', async () => {
    const controller = new AbortController();
    let ended = false;
    const run = async (id: string) => {
      if (id === 'a') {
        controller.abort('SIGINT');
        await tick(20);
        ended = true;
      }
      return true;
    };
    const events = await collect(schedule(['a', 'b'], () => [], run, { parallel: 1, succeeded: (ok) => ok, signal: controller.signal }));
    expect(ended).toBe(true);
    expect([...events].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([
      { id: 'a', started: true, result: true },
      { id: 'b', started: false, why: { kind: 'stopped', reason: 'SIGINT' } },
    ]);
  });

  it('runs 5,000 jobs of a chain-and-fan DAG in dependency order', async () => {
    // Each job depends on the 7 before it: what the bench DAG looks like at 5,000 entries.
    const ids = Array.from({ length: 5000 }, (_, i) => `j${String(i).padStart(4, '0')}`);
    const deps = (id: string) => {
      const i = Number(id.slice(1));
      return ids.slice(Math.max(0, i - 7), i);
    };
    const order: string[] = [];
    const events = await collect(schedule(ids, deps, async (id) => (order.push(id), true), { parallel: 2, succeeded: (ok) => ok }));
    expect(events.every((e) => e.started)).toBe(true);
    expect(order).toEqual(ids);
  });

  it('reports a cycle as stuck instead of waiting forever', async () => {
    const deps: Record<string, string[]> = { a: ['b'], b: ['a'] };
    const events = await collect(
      schedule(
        ['a', 'b'],
        (id) => deps[id]!,
        async () => true,
        { parallel: 2, succeeded: (ok) => ok },
      ),
    );
    expect(events.map((e) => (e.started ? e.id : `${e.id}: ${e.why.kind}`))).toEqual(['a: stuck', 'b: stuck']);
  });
});
