import { execFileSync } from 'node:child_process';
import { hashOutputs, ownedFiles } from '../receipts/outputs';
import { readReceipt, writeReceipt } from '../receipts/receipt';
import { TempWorkspace } from '../run/__fixtures__/workspace';
import { describeRealization } from './describe';
import { classify } from './realization';

// Each test runs real python3 processes; on a loaded machine that outlasts jest's 5 s default.
jest.setTimeout(30_000);

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace()));
afterEach(() => ws.cleanup());

/** What a successful run leaves behind, done by hand so this suite tests classification alone. */
function realize(name: string): void {
  const { model, entry } = ws.entry(name);
  const { live } = classify(ws.root, model, entry);
  execFileSync('/bin/sh', ['-c', live.command], { cwd: ws.root, stdio: 'ignore' });
  const outputs = hashOutputs(ws.root, ownedFiles(ws.root, model.outputRoots.get(name) ?? entry.outputs));
  const t = '2026-01-01T00:00:00.000Z';
  writeReceipt(ws.root, {
    entry: name,
    signature: live.signature,
    command: live.command,
    exitCode: 0,
    start: t,
    end: t,
    durationMs: 0,
    host: 'test',
    outputs,
    inputs: live.inputs,
    upstream: live.upstream,
  });
}
const state = (name: string) => {
  const { model, entry } = ws.entry(name);
  const c = classify(ws.root, model, entry);
  return `${c.state}: ${describeRealization(c.why)}`;
};

describe('classify', () => {
  it('says script TBD with the status explanation', () => {
    expect(state('todo')).toBe('script TBD: waiting for the 2024 extract');
  });

  it('says missing before any run, naming the output', () => {
    expect(state('clean')).toBe('missing: results/compute-clean-clean/panel.json does not exist');
  });

  it('says fresh after a run, counting every file of the result directory', () => {
    realize('clean');
    expect(state('clean')).toBe('fresh: receipt matches inputs and 2 output files');
    expect(readReceipt(ws.root, 'clean')!.outputs.map((o) => o.path)).toEqual([
      'results/compute-clean-clean/panel.json',
      'results/compute-clean-clean/rows.csv',
    ]);
  });

  it('says stale without a receipt, or with an unreadable one', () => {
    realize('clean');
    ws.write('.specthis/receipts/clean.json', '{ torn');
    expect(state('clean')).toBe("stale: receipt .specthis/receipts/clean.json is unreadable; the outputs' origin is unknown");
    ws.remove('.specthis/receipts/clean.json');
    expect(state('clean')).toBe('stale: no receipt (never run here, or the last run failed or was interrupted)');
  });

  it('names the input that moved', () => {
    realize('clean');
    realize('fit');
    ws.edit('scripts/fit.py', '0.5', '0.6');
    expect(state('fit')).toBe('stale: script scripts/fit.py changed since the last run');
    expect(state('clean')).toMatch(/^fresh/);
    ws.edit('config/fit.json', '0.05', '0.1');
    ws.edit('specs/compute-fit.md', 'Fits on', 'Fits OLS on');
    expect(state('fit')).toBe(
      'stale: shared text of specs/compute-fit.md, script scripts/fit.py and workflow config/fit.json changed since the last run',
    );
  });

  it('ignores edits to a sibling entry block', () => {
    realize('clean');
    realize('fit');
    ws.edit('specs/compute-fit.md', 'waiting for the 2024 extract', 'waiting for the 2025 extract');
    expect(state('fit')).toMatch(/^fresh/);
  });

  it('says stale when the Run: command changes', () => {
    realize('clean');
    ws.edit('specs/compute-clean.md', '- Status: script ready', '- Run: `python3 scripts/clean.py --fast`\n- Status: script ready');
    expect(state('clean')).toBe(
      'stale: entry block specs/compute-clean.md#clean and command (now `python3 scripts/clean.py --fast`) changed since the last run',
    );
  });

  it('says stale when an upstream receipt changes, and names the upstream', () => {
    realize('clean');
    realize('fit');
    expect(state('fit')).toMatch(/^fresh/);
    ws.edit('scripts/clean.py', '"rows": 3', '"rows": 4');
    realize('clean');
    expect(state('fit')).toBe('stale: outputs of upstream clean changed since the last run');
  });

  it('says stale when upstream has no receipt any more', () => {
    realize('clean');
    realize('fit');
    ws.remove('.specthis/receipts/clean.json');
    expect(state('fit')).toBe('stale: upstream clean has no receipt (run it first)');
  });

  it('says stale when an output is edited or a recorded sidecar removed, missing when the declared output goes', () => {
    realize('clean');
    ws.write('results/compute-clean-clean/panel.json', '{"rows": 99}');
    expect(state('clean')).toBe('stale: output results/compute-clean-clean/panel.json changed since the last run');
    realize('clean');
    ws.remove('results/compute-clean-clean/rows.csv');
    expect(state('clean')).toBe('stale: output results/compute-clean-clean/rows.csv was removed since the last run');
    ws.remove('results/compute-clean-clean/panel.json');
    expect(state('clean')).toBe('missing: results/compute-clean-clean/panel.json does not exist');
  });
});

describe('classify: report artefacts', () => {
  const REPORT = `---
name: report-fit
kind: report
depends_on: [compute-fit.md]
host_doc: reports/paper.tex
section_label: sec:fit
---

## Artefact design

One row, three decimals.

## Entry

### fit-table
- Export script: \`scripts/table.py\`
- Export outputs: \`reports/tables/fit.tex\`
- Status: script ready
`;
  const TABLE = `import json, os
fit = json.load(open("results/compute-fit-fit/estimates.json"))
os.makedirs("reports/tables", exist_ok=True)
open("reports/tables/fit.tex", "w").write("%.3f\\n" % fit["beta"])
`;
  beforeEach(() => {
    ws.write('specs/report-fit.md', REPORT);
    ws.write('scripts/table.py', TABLE);
    realize('clean');
    realize('fit');
    realize('fit-table');
  });

  it('says needs review when only the report spec text moved', () => {
    expect(state('fit-table')).toMatch(/^fresh/);
    ws.edit('specs/report-fit.md', 'three decimals', 'two decimals');
    expect(state('fit-table')).toBe(
      'needs review: only the shared text of specs/report-fit.md changed since the last export; re-export, then check the artefact against the spec',
    );
  });

  it('says stale when anything else moved too, or when the artefact itself was edited', () => {
    ws.edit('specs/report-fit.md', 'three decimals', 'two decimals');
    ws.edit('scripts/table.py', '%.3f', '%.2f');
    expect(state('fit-table')).toBe('stale: shared text of specs/report-fit.md and script scripts/table.py changed since the last run');
    ws.edit('scripts/table.py', '%.2f', '%.3f');
    ws.write('reports/tables/fit.tex', 'hand edit\n');
    expect(state('fit-table')).toBe('stale: output reports/tables/fit.tex changed since the last run');
  });

  it('keeps stale for a compute entry whose spec text moved', () => {
    ws.edit('specs/compute-fit.md', 'Fits on', 'Fits OLS on');
    expect(state('fit')).toBe('stale: shared text of specs/compute-fit.md changed since the last run');
  });
});
