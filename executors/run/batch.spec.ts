import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NxJsonConfiguration } from '@nx/devkit';
import { TempWorkspace } from '../../core/run/__fixtures__/workspace';
import { batchParallel, runBatchWith, type BatchTaskResult } from './batch';

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace()));
afterEach(() => ws.cleanup());

const REGISTERED: NxJsonConfiguration['plugins'] = [{ plugin: '@specthis/nx', options: { specsDir: 'specs' } }];
const graph = (deps: Record<string, string[]>) => ({
  tasks: Object.fromEntries(Object.keys(deps).map((id) => [id, { id } as never])),
  dependencies: Object.fromEntries(Object.entries(deps).map(([id, ds]) => [id, ds.map((d) => ({ id: d }) as never)])),
});

async function collect(
  deps: Record<string, string[]>,
  inputs: Record<string, { entry?: string; spec?: string }>,
  plugins: NxJsonConfiguration['plugins'] = REGISTERED,
  parallel = 2,
): Promise<BatchTaskResult[]> {
  const out: BatchTaskResult[] = [];
  for await (const r of runBatchWith(graph(deps), inputs, { root: ws.root, nxJsonConfiguration: { plugins } }, { parallel })) out.push(r);
  return out;
}

describe('run executor, batched', () => {
  it('runs upstream first, writes both receipts, and answers fresh the second time', async () => {
    const deps = { 'specs:compute--clean': [], 'specs:compute--fit': ['specs:compute--clean'] };
    const inputs = { 'specs:compute--clean': { entry: 'clean' }, 'specs:compute--fit': { entry: 'fit' } };
    const first = await collect(deps, inputs);
    expect(first.map((r) => [r.task, r.result.success])).toEqual([
      ['specs:compute--clean', true],
      ['specs:compute--fit', true],
    ]);
    expect(first[0]!.result.terminalOutput).toMatch(/specthis: running clean .*\nclean: wrote 3 rows\n/s);
    expect(existsSync(join(ws.root, '.specthis/receipts/fit.json'))).toBe(true);
    const second = await collect(deps, inputs);
    expect(second.map((r) => r.result.terminalOutput)).toEqual([
      expect.stringMatching(/\[run-unbound\]\n(.*\n)+specthis: clean is fresh \(receipt matches[^\n]*\n$/),
      expect.stringMatching(/\[run-unbound\]\n(.*\n)+specthis: fit is fresh \(receipt matches[^\n]*\n$/),
    ]);
  });

  it('skips what depends on a task that failed, and still runs the rest', async () => {
    ws.write('scripts/clean.py', 'import sys\nsys.exit(3)\n');
    ws.write(
      'specs/compute-other.md',
      '---\nname: compute-other\nkind: compute\n---\n\n## Script\n\nOther.\n\n## Entry\n\n### other\n- Script: `scripts/other.py`\n- Output: `results/compute-other-other/o.json`\n- Status: script ready\n',
    );
    ws.write(
      'scripts/other.py',
      'import json, os\nos.makedirs("results/compute-other-other", exist_ok=True)\njson.dump({}, open("results/compute-other-other/o.json", "w"))\n',
    );
    const results = await collect(
      { a: [], b: ['a'], c: [] },
      { a: { entry: 'clean' }, b: { entry: 'fit' }, c: { entry: 'other' } },
      REGISTERED,
      1,
    );
    const by = Object.fromEntries(results.map((r) => [r.task, r.result]));
    expect(by.a).toMatchObject({ success: false, terminalOutput: expect.stringMatching(/exited 3/) });
    expect(by.b).toEqual({
      success: false,
      status: 'skipped',
      terminalOutput: 'specthis: fit did not run: a, which it depends on, did not succeed\n',
    });
    expect(by.c).toMatchObject({ success: true });
    expect(existsSync(join(ws.root, '.specthis/receipts/fit.json'))).toBe(false);
  });

  it('fails every task with the registration problem when nx.json has the plugin wrong, and each bad task by itself', async () => {
    const bad = await collect({ a: [], b: [] }, { a: { entry: 'clean' }, b: { entry: 'fit' } }, [
      { plugin: '@specthis/nx', options: { specsDir: 42 } } as never,
    ]);
    expect(bad.map((r) => r.result.success)).toEqual([false, false]);
    expect(bad[0]!.result.terminalOutput).toMatch(/specsDir/);
    const mixed = Object.fromEntries((await collect({ a: [], b: [] }, { a: { entry: 'todo' }, b: {} })).map((r) => [r.task, r.result]));
    expect(mixed.a!.terminalOutput).toMatch(/todo is script TBD: waiting for the 2024 extract \[run-script-tbd\]/);
    expect(mixed.b!.terminalOutput).toMatch(/^specthis: the run executor takes either "entry"/);
  });

  it('runs at most `parallel` entries at once', async () => {
    // Each script records when it starts and ends; with parallel 1 no two overlap.
    const slow = (name: string) =>
      `import json, os, time\nopen("spans.log", "a").write("start ${name} %f\\n" % time.time())\ntime.sleep(0.3)\nos.makedirs("results/compute-${name}-${name}", exist_ok=True)\njson.dump({"rows": 1}, open("results/compute-${name}-${name}/o.json", "w"))\nopen("spans.log", "a").write("end ${name} %f\\n" % time.time())\n`;
    for (const name of ['p', 'q', 'r']) {
      ws.write(
        `specs/compute-${name}.md`,
        `---\nname: compute-${name}\nkind: compute\n---\n\n## Script\n\nSlow.\n\n## Entry\n\n### ${name}\n- Script: \`scripts/${name}.py\`\n- Output: \`results/compute-${name}-${name}/o.json\`\n- Status: script ready\n`,
      );
      ws.write(`scripts/${name}.py`, slow(name));
    }
    const inputs = { p: { entry: 'p' }, q: { entry: 'q' }, r: { entry: 'r' } };
    const overlaps = () => {
      const events = ws
        .read('spans.log')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .sort((a, b) => Number(a[2]) - Number(b[2]));
      let open = 0;
      let most = 0;
      for (const [kind] of events) most = Math.max(most, (open += kind === 'start' ? 1 : -1));
      return most;
    };
    expect((await collect({ p: [], q: [], r: [] }, inputs, REGISTERED, 1)).every((r) => r.result.success)).toBe(true);
    expect(overlaps()).toBe(1);
    ws.remove('spans.log');
    for (const name of ['p', 'q', 'r']) ws.remove(`.specthis/receipts/${name}.json`);
    expect((await collect({ p: [], q: [], r: [] }, inputs, REGISTERED, 3)).every((r) => r.result.success)).toBe(true);
    expect(overlaps()).toBeGreaterThan(1);
  });

  it('takes its parallelism from NX_PARALLEL, then nx.json, then Nx default', () => {
    expect(batchParallel({ NX_PARALLEL: '5' }, { parallel: 2 })).toBe(5);
    expect(batchParallel({ NX_PARALLEL: 'lots' }, { parallel: 2 })).toBe(2);
    expect(batchParallel({}, {})).toBe(3);
    expect(batchParallel({}, { parallel: 0 })).toBe(3);
  });
});
