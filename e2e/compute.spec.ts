import { mkdirSync } from 'node:fs';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(900_000);

const ENTRIES = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];
const receipt = (ws: TestWorkspace, entry: string) => JSON.parse(ws.read(`.specthis/receipts/${entry}.json`));

/** Computing the example pipeline through the real nx CLI. */
describe('nx run-many -t compute export', () => {
  let ws: TestWorkspace;
  let first: string;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('compute');
    first = ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static').output;
  });

  it('runs every entry and writes every declared output', () => {
    for (const file of [
      'results/compute-clean-clean-panel/panel.json',
      'results/compute-mincer-mincer-baseline/estimates.json',
      'results/compute-mincer-mincer-with-region/estimates.json',
      'reports/tables/mincer.tex',
    ]) {
      expect(ws.exists(file)).toBe(true);
    }
    expect(Object.keys(JSON.parse(ws.read('results/compute-mincer-mincer-baseline/estimates.json')))).toEqual(
      expect.arrayContaining(['coefficients', 'n_obs', 'r_squared']),
    );
    expect(ws.read('reports/tables/mincer.tex')).toContain('\\begin{tabular}');
    for (const entry of ENTRIES) expect(receipt(ws, entry).exitCode).toBe(0);
    expect(ws.exists('.specthis/logs/clean-panel.log')).toBe(true);
  });

  it('runs them in dependency order', () => {
    const at = (entry: string, key: 'start' | 'end') => Date.parse(receipt(ws, entry)[key]);
    for (const fit of ['mincer-baseline', 'mincer-with-region']) {
      expect(at(fit, 'start')).toBeGreaterThanOrEqual(at('clean-panel', 'end'));
      expect(at('wage-table', 'start')).toBeGreaterThanOrEqual(at(fit, 'end'));
    }
    expect(first).toMatch(/Successfully ran targets compute, export/);
  });

  it('reads everything from the cache on a second run', () => {
    const second = ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static').output;
    for (const entry of ENTRIES) {
      const family = entry === 'wage-table' ? 'export' : 'compute';
      expect(second).toMatch(new RegExp(`${family}--${entry}.*(local cache|existing outputs match the cache)`));
    }
    // Every entry task is a cache hit; the nx:noop parents are never cached, so they count as "not from cache".
    expect(second).toMatch(new RegExp(`for ${ENTRIES.length} out of \\d+ tasks`));
  });

  it('restores outputs and receipts from the cache after they are deleted', () => {
    ws.exec('rm', ['-rf', 'results', '.specthis', 'reports/tables']);
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    expect(ws.exists('results/compute-clean-clean-panel/panel.json')).toBe(true);
    expect(receipt(ws, 'wage-table').exitCode).toBe(0);
  });

  it('re-runs an entry whose script changed, and skips with a reason when Nx misses but the entry is fresh', () => {
    ws.write('scripts/fit_mincer.py', `${ws.read('scripts/fit_mincer.py')}\n# touched\n`);
    const out = ws.nxOk('run', 'specs-models:compute--mincer-baseline', '--outputStyle=static', '--skip-nx-cache').output;
    expect(out).toMatch(/specthis: running mincer-baseline \(stale: script scripts\/fit_mincer\.py changed since the last run\)/);
    expect(out).toMatch(/specthis: clean-panel is fresh/);
    const again = ws.nxOk('run', 'specs-models:compute--mincer-baseline', '--outputStyle=static', '--skip-nx-cache').output;
    expect(again).toMatch(/specthis: mincer-baseline is fresh/);
  });

  it('hashes the upstream results into a downstream entry, but not the upstream receipt', () => {
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    const runLine = (out: string, task: string) =>
      out.split('\n').find((l) => l.includes(`nx run ${task}`)) ?? `(no line for ${task} in)\n${out}`;
    const cached = (out: string, task: string) => /local cache|existing outputs match the cache/.test(runLine(out, task));
    const panel = 'results/compute-clean-clean-panel/panel.json';

    // Nx's own hash plan for the downstream task: the upstream result is an input, its receipt is not.
    const plan = JSON.parse(ws.nxOk('show', 'target', 'inputs', 'specs-models:compute--mincer-baseline', '--json').stdout) as {
      files: string[];
      depOutputs: string[];
    };
    expect(plan.depOutputs).toContain(panel);
    expect([...plan.files, ...plan.depOutputs].filter((f) => f.startsWith('.specthis/'))).toEqual([]);

    // A comment in the upstream script: clean-panel runs again and writes a new receipt with the same panel.
    // Batched (the default: executors.json preferBatch), Nx runs what is behind a miss without asking its
    // cache; the downstream entries are fresh by their receipts, so none of their scripts runs.
    const panelBytes = ws.read(panel);
    const fitStart = receipt(ws, 'mincer-baseline').start;
    ws.write('scripts/clean_panel.py', `${ws.read('scripts/clean_panel.py')}\n# batched comment\n`);
    const batched = ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static').output;
    expect(batched).toMatch(/specthis: running clean-panel \(stale: script scripts\/clean_panel\.py changed/);
    expect(batched).toMatch(/specthis: mincer-baseline is fresh/);
    expect(receipt(ws, 'mincer-baseline').start).toBe(fitStart);
    expect(ws.read(panel)).toBe(panelBytes);

    // Task by task (--batch=false), Nx asks its cache for every task: the same panel is a hit downstream.
    const startBefore = receipt(ws, 'clean-panel').start;
    ws.write('scripts/clean_panel.py', `${ws.read('scripts/clean_panel.py')}\n# comment only\n`);
    const sameResult = ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static', '--batch=false').output;
    expect(cached(sameResult, 'specs-data:compute--clean-panel')).toBe(false);
    expect(receipt(ws, 'clean-panel').start).not.toBe(startBefore);
    expect(ws.read(panel)).toBe(panelBytes);
    for (const task of [
      'specs-models:compute--mincer-baseline',
      'specs-models:compute--mincer-with-region',
      'specs-paper:export--wage-table',
    ])
      expect([task, cached(sameResult, task)]).toEqual([task, true]);

    // One row less in the raw data: a different panel, so every downstream entry misses the cache.
    const rows = ws.read('data/wage_panel.csv').trimEnd().split('\n');
    ws.write('data/wage_panel.csv', `${rows.slice(0, -1).join('\n')}\n`);
    const newResult = ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static', '--batch=false').output;
    expect(ws.read(panel)).not.toBe(panelBytes);
    for (const task of [
      'specs-data:compute--clean-panel',
      'specs-models:compute--mincer-baseline',
      'specs-models:compute--mincer-with-region',
    ])
      expect([task, cached(newResult, task)]).toEqual([task, false]);
  });
});

/** The run executor is batched by default (executors.json preferBatch): one Node process runs every entry of a run-many. */
describe('batched runs', () => {
  // Each script records the Node process its command was started from: the nearest ancestor named node.
  const script = (name: string) => `import json, os
pid = os.getppid()
while open(f"/proc/{pid}/comm").read().strip() != "node":
    pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
os.makedirs("results/compute-${name}-${name}", exist_ok=True)
json.dump({"runner_pid": pid}, open("results/compute-${name}-${name}/pid.json", "w"))
`;
  const NAMES = ['p1', 'p2', 'p3'];
  const runners = (ws: TestWorkspace) => NAMES.map((n) => JSON.parse(ws.read(`results/compute-${n}-${n}/pid.json`)).runner_pid as number);

  it('runs every entry of a run-many in one process, and one process per entry with --batch=false', () => {
    const ws = TestWorkspace.fromExample('batched');
    mkdirSync(ws.path('specs/pids'));
    for (const n of NAMES) {
      ws.write(
        `specs/pids/compute-${n}.md`,
        `---\nname: compute-${n}\nkind: compute\n---\n\n## Script\n\nRecords its runner.\n\n## Entry\n\n### ${n}\n- Script: \`scripts/pid_${n}.py\`\n- Output: \`results/compute-${n}-${n}/pid.json\`\n- Keys: \`runner_pid\`\n- Status: script ready\n`,
      );
      ws.write(`scripts/pid_${n}.py`, script(n));
    }
    const tasks = NAMES.map((n) => `compute--${n}`).join(',');
    ws.nxOk('run-many', '-t', tasks, '-p', 'specs-pids', '--outputStyle=static', '--skip-nx-cache');
    expect(new Set(runners(ws)).size).toBe(1);
    for (const n of NAMES) ws.write(`scripts/pid_${n}.py`, `${script(n)}# again\n`);
    ws.nxOk('run-many', '-t', tasks, '-p', 'specs-pids', '--outputStyle=static', '--skip-nx-cache', '--batch=false');
    expect(new Set(runners(ws)).size).toBe(3);
  });

  it('stops the running entry on Ctrl-C, writes no receipt, and starts nothing after it', async () => {
    const ws = TestWorkspace.fromExample('batch-stop');
    mkdirSync(ws.path('specs/slow'));
    const spec = (name: string, deps: string) =>
      `---\nname: compute-${name}\nkind: compute\ndepends_on: [${deps}]\n---\n\n## Script\n\nSlow.\n\n## Entry\n\n### ${name}\n- Script: \`scripts/${name}.py\`\n- Output: \`results/compute-${name}-${name}/o.json\`\n- Status: script ready\n`;
    ws.write('specs/slow/compute-sleeper.md', spec('sleeper', ''));
    ws.write('specs/slow/compute-after.md', spec('after', 'compute-sleeper.md'));
    ws.write('scripts/sleeper.py', 'import os, time\nopen("sleeper.pid", "w").write(str(os.getpid()))\ntime.sleep(60)\n');
    ws.write('scripts/after.py', 'open("after.ran", "w").write("yes")\n');
    const run = ws.nxAsync('run-many', '-t', 'compute', '-p', 'specs-slow', '--outputStyle=static');
    const until = Date.now() + 60_000;
    while (!ws.exists('sleeper.pid') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const pid = Number(ws.read('sleeper.pid'));
    run.child.kill('SIGINT');
    const { code } = await run.done;
    expect(code).not.toBe(0);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const settled = Date.now() + 15_000;
    while (alive() && Date.now() < settled) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    expect(ws.exists('.specthis/receipts/sleeper.json')).toBe(false);
    expect(ws.exists('after.ran')).toBe(false);
    expect(ws.exists('.specthis/receipts/after.json')).toBe(false);
  });
});
