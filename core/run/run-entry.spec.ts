import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readReceipt } from '../receipts/receipt';
import { devNull, TempWorkspace } from './__fixtures__/workspace';
import { runEntry, type RunEntryOptions } from './run-entry';

// Each test runs real python3 processes; on a loaded machine that outlasts jest's 5 s default.
jest.setTimeout(30_000);

let ws: TempWorkspace;
let lines: string[];
beforeEach(() => {
  ws = new TempWorkspace();
  lines = [];
});
afterEach(() => ws.cleanup());

// Nothing here is certified; the unbound warning is tested in run-entry-certification.spec.ts.
const unbound = (m: string) => / was never certified /.test(m);
const log = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => unbound(m) || lines.push(`warn ${m}`),
  error: (m: string) => lines.push(`error ${m}`),
};
const run = (name: string, options: RunEntryOptions = {}) =>
  runEntry(ws.root, ws.model(), name, { log, stdout: devNull(), stderr: devNull(), ...options });
const hasReceipt = (name: string) => existsSync(join(ws.root, '.specthis/receipts', `${name}.json`));

describe('runEntry', () => {
  it('runs, writes a receipt, then finds the entry fresh', async () => {
    expect(await run('clean')).toMatchObject({ success: true, outcome: 'ran', state: 'missing' });
    const receipt = readReceipt(ws.root, 'clean')!;
    expect(receipt).toMatchObject({ entry: 'clean', command: 'python3 scripts/clean.py', exitCode: 0 });
    expect(receipt.outputs.map((o) => o.path)).toEqual(['results/compute-clean-clean/panel.json', 'results/compute-clean-clean/rows.csv']);
    expect(ws.read('.specthis/logs/clean.log')).toContain('clean: wrote 3 rows');
    lines = [];
    expect(await run('clean')).toMatchObject({ success: true, outcome: 'fresh' });
    expect(lines).toEqual(['info specthis: clean is fresh (receipt matches inputs and 2 output files); nothing to do']);
  });

  it('runs again after the script is edited', async () => {
    await run('clean');
    ws.edit('scripts/clean.py', '"rows": 3', '"rows": 5');
    lines = [];
    expect(await run('clean')).toMatchObject({ success: true, outcome: 'ran', state: 'stale' });
    expect(lines[0]).toBe(
      'info specthis: running clean (stale: script scripts/clean.py changed since the last run): python3 scripts/clean.py',
    );
    expect(ws.read('results/compute-clean-clean/panel.json')).toContain('5');
  });

  it('runs downstream again after the upstream receipt changes', async () => {
    await run('clean');
    await run('fit');
    expect(await run('fit')).toMatchObject({ outcome: 'fresh' });
    ws.edit('scripts/clean.py', '"rows": 3', '"rows": 4');
    await run('clean');
    expect(await run('fit')).toMatchObject({ outcome: 'ran', state: 'stale' });
    expect(JSON.parse(ws.read('results/compute-fit-fit/estimates.json'))).toEqual({ beta: 0.5, n: 4 });
  });

  it('leaves no receipt when the command fails, even where one existed', async () => {
    await run('clean');
    ws.edit('scripts/clean.py', 'print(', 'raise SystemExit(4)\nprint(');
    expect(await run('clean')).toMatchObject({ success: false, outcome: 'failed' });
    expect(hasReceipt('clean')).toBe(false);
    expect(lines[lines.length - 1]).toBe(
      [
        'error specs/compute-clean.md:12: error: clean failed: its command exited 4 [run-failed]',
        '  expected: the command exits 0',
        '  received: exit code 4',
        '  note: see the log .specthis/logs/clean.log; no receipt written, so it is not fresh',
        '  docs: specs/README.md#run-failed',
      ].join('\n'),
    );
  });

  it('leaves no receipt when the output lacks a declared key', async () => {
    await run('clean');
    ws.edit('scripts/fit.py', '"beta": 0.5, ', '');
    expect(await run('fit')).toMatchObject({ success: false, outcome: 'failed' });
    expect(hasReceipt('fit')).toBe(false);
    expect(lines).toContain(
      [
        'error specs/compute-fit.md:13: error: fit exited 0 but results/compute-fit-fit/estimates.json lacks the top-level key "beta" that "Keys:" requires (it has: n) [run-outputs]',
        '  expected: an object like {"beta": ..., "n": ...}',
        '  note: no receipt written, so it is not fresh; fix the script (or the spec) and run again',
        '  docs: specs/README.md#run-outputs',
      ].join('\n'),
    );
  });

  it('leaves no receipt when the command is killed mid-run', async () => {
    ws.edit('specs/compute-clean.md', '- Status:', '- Run: `python3 -c "import time; time.sleep(30)"`\n- Status:');
    const result = await run('clean', { onSpawn: (pid) => setTimeout(() => process.kill(pid, 'SIGTERM'), 200) });
    expect(result).toMatchObject({ success: false, outcome: 'failed' });
    expect(hasReceipt('clean')).toBe(false);
    expect(lines[lines.length - 1]).toMatch(
      /^error specs\/compute-clean\.md:12: error: clean was killed by SIGTERM \[run-failed\]\n  expected: the command exits 0\n  received: killed by SIGTERM\n/,
    );
  });

  it('stops the command and leaves no receipt when the run is interrupted', async () => {
    await run('clean');
    ws.edit('specs/compute-clean.md', '- Status:', '- Run: `python3 scripts/clean.py && sleep 30`\n- Status:');
    const stop = new AbortController();
    const result = await run('clean', { signal: stop.signal, onSpawn: () => setTimeout(() => stop.abort('SIGINT'), 500) });
    expect(result).toMatchObject({ success: false, outcome: 'interrupted' });
    expect(hasReceipt('clean')).toBe(false);
    expect(lines[lines.length - 1]).toMatch(
      /^error specs\/compute-clean\.md:12: error: clean was interrupted \(SIGINT\) \[run-failed\]\n  expected: the command exits 0\n  received: stopped by SIGINT\n/,
    );
  });

  it('refuses a script TBD entry with the status explanation', async () => {
    expect(await run('todo')).toMatchObject({ success: false, outcome: 'refused', state: 'script TBD' });
    expect(lines).toEqual([
      [
        'error specs/compute-fit.md:20: error: todo is script TBD: waiting for the 2024 extract [run-script-tbd]',
        '  expected: - Status: script ready',
        '  received: - Status: script TBD — waiting for the 2024 extract',
        '  note: author the script, then set "- Status: script ready" in specs/compute-fit.md:20',
        '  docs: specs/README.md#run-script-tbd',
      ].join('\n'),
    ]);
  });

  it('refuses an entry whose script is missing, naming the path', async () => {
    ws.remove('scripts/clean.py');
    expect(await run('clean')).toMatchObject({ success: false, outcome: 'refused' });
    expect(lines[0]).toMatch(
      /^error specs\/compute-clean\.md:12: error: clean's script scripts\/clean\.py does not exist \[run-script-missing\]\n  expected: a file at scripts\/clean\.py, as "Script: scripts\/clean\.py" contracts\n  received: no file\n  note: create that file/,
    );
  });

  it('refuses an unknown entry, suggesting close names', async () => {
    expect(await run('fi')).toMatchObject({ success: false, outcome: 'refused' });
    expect(lines[0]).toMatch(
      /^error specs: error: no entry "fi" in specs\/ \[run-unknown-entry\]\n  expected: .*did you mean fit\?\n  received: fi\n/,
    );
  });

  it('prints the diagnostics of a blocked spec, its own or upstream', async () => {
    ws.edit('specs/compute-clean.md', 'kind: compute', 'kind: compute\nbogus: 1');
    expect(await run('clean')).toMatchObject({ success: false, outcome: 'refused' });
    expect(lines[0]).toMatch(/^error specs\/compute-clean\.md:4: error: unknown front matter key "bogus"/);
    expect(lines[1]).toMatch(
      /^error specs\/compute-clean\.md: error: clean is declared in specs\/compute-clean\.md, which has 1 error \[run-blocked-spec\]\n.*\n  note: fix them and run again/,
    );
    lines = [];
    expect(await run('fit')).toMatchObject({ success: false, outcome: 'refused' });
    expect(lines[1]).toMatch(
      /^error specs\/compute-clean\.md: error: fit consumes the entries of specs\/compute-clean\.md, which has 1 error \[run-blocked-spec\]\n/,
    );
  });
});
