import { LiveBuild, type ServeLog, type ServedBuild } from './live-build';

const build = (n: number): ServedBuild => ({ html: `<p>page ${n}</p>`, declaredOutputs: [`results/${n}.json`] });

function recorder(): ServeLog & { info: jest.Mock; error: jest.Mock } {
  return { info: jest.fn(), error: jest.fn() };
}

describe('LiveBuild', () => {
  it('coalesces a burst of changes into one rebuild with every path', async () => {
    const calls: [string[], boolean][] = [];
    const live = new LiveBuild((changed, structural) => (calls.push([changed, structural]), build(calls.length)), recorder(), 30);
    await live.start();
    const reloads: number[] = [];
    live.onReload((v) => reloads.push(v));
    live.notify('specs/b.md');
    live.notify('specs/a.md');
    live.notify('results/x.json', true);
    live.notify('specs/a.md');
    await live.idle();
    expect(calls).toEqual([
      [[], true],
      [['results/x.json', 'specs/a.md', 'specs/b.md'], true],
    ]);
    expect(reloads).toEqual([2]);
    expect(live.current?.version).toBe(2);
    expect([...live.current!.declared]).toEqual(['results/2.json']);
  });

  it('warms up with unpublished renders of the unchanged tree, and stops at the first change', async () => {
    const calls: [string[], boolean][] = [];
    const log = recorder();
    const live = new LiveBuild((changed, structural) => (calls.push([changed, structural]), build(calls.length)), log, 20);
    await live.start();
    const reloads: number[] = [];
    live.onReload((v) => reloads.push(v));
    await live.warm(2);
    expect(calls).toEqual([
      [[], true],
      [[], false],
      [[], false],
    ]);
    expect(reloads).toEqual([]);
    expect(live.current?.version).toBe(1);
    expect(live.current?.build.html).toBe('<p>page 1</p>');
    expect(log.info).toHaveBeenCalledTimes(1);

    const warming = live.warm(50);
    live.notify('specs/a.md');
    await warming;
    await live.idle();
    // The change waits for no warm-up: it is the next render, and published.
    expect(calls.slice(3)).toEqual([[['specs/a.md'], false]]);
    expect(reloads).toEqual([2]);
  });

  it('keeps the last good build when a rebuild throws, logs the failure, and recovers', async () => {
    const log = recorder();
    let fail = false;
    let n = 0;
    const live = new LiveBuild(
      () => {
        if (fail) throw new Error('specs/a.md:3: front matter does not parse');
        return build(++n);
      },
      log,
      5,
    );
    await live.start();
    fail = true;
    live.notify('specs/a.md');
    await live.idle();
    expect(live.current?.build.html).toBe('<p>page 1</p>');
    expect(live.lastError).toMatch(/specs\/a\.md:3/);
    expect(log.error.mock.calls[0][0]).toMatch(
      /render failed after 1 change \(specs\/a\.md\) \(still serving build 1\): specs\/a\.md:3: front matter/,
    );
    fail = false;
    live.notify('specs/a.md');
    await live.idle();
    expect(live.current?.version).toBe(2);
    expect(live.lastError).toBeUndefined();
    expect(log.info.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/rendered at start in \d+ ms \(build 1\)/),
      expect.stringMatching(/rebuilt after 1 change .* in \d+ ms \(build 2\)/),
    ]);
  });

  it('a first render that fails leaves nothing to serve, and the next success is build 1', async () => {
    let fail = true;
    const live = new LiveBuild(
      () => {
        if (fail) throw new Error('boom');
        return build(1);
      },
      recorder(),
      5,
    );
    await live.start();
    expect(live.current).toBeUndefined();
    expect(live.lastError).toBe('boom');
    fail = false;
    live.notify('specs/a.md');
    await live.idle();
    expect(live.current?.version).toBe(1);
  });

  it('never runs two rebuilds at once; changes during one are rebuilt right after', async () => {
    let active = 0;
    let most = 0;
    const seen: string[][] = [];
    const live: LiveBuild = new LiveBuild(
      async (changed) => {
        active++;
        most = Math.max(most, active);
        seen.push(changed);
        if (changed.includes('first')) live.notify('during');
        await new Promise((r) => setTimeout(r, 40));
        active--;
        return build(seen.length);
      },
      recorder(),
      5,
    );
    await live.start();
    live.notify('first');
    await live.idle();
    expect(most).toBe(1);
    expect(seen).toEqual([[], ['first'], ['during']]);
  });

  it('a steady stream of changes still rebuilds within maxWaitMs', async () => {
    let renders = 0;
    const live = new LiveBuild(() => build(++renders), recorder(), 50, 120);
    await live.start();
    const until = Date.now() + 400;
    while (Date.now() < until) {
      live.notify('results/stream.json');
      await new Promise((r) => setTimeout(r, 20));
    }
    await live.idle();
    expect(renders).toBeGreaterThanOrEqual(3);
  });
});
