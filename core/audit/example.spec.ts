import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace } from '../workspace/load';
import { normalizeOptions } from '../workspace/options';
import { auditCommand, generatedFiles, renderMarkdown, runAudit } from './index';
import { copyExample } from '../../scripts/example-copy';

jest.setTimeout(60_000);

const ENTRIES = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];

/** The worked example as tracked, without anything a previous run produced. */
const freshExample = () => copyExample(mkdtempSync(join(tmpdir(), 'specthis-audit-')));

const runPipeline = (root: string) => {
  for (const args of [
    ['scripts/clean_panel.py'],
    ['scripts/fit_mincer.py', '--spec', 'baseline'],
    ['scripts/fit_mincer.py', '--spec', 'with-region'],
    ['scripts/export_wage_table.py'],
  ]) {
    execFileSync('python3', args, { cwd: root, stdio: 'ignore' });
  }
};

/** The audit as the executor and the CLI run it, its two streams captured. */
function audit(root: string, request: Parameters<typeof auditCommand>[2]) {
  let text = '';
  let err = '';
  const result = auditCommand(root, normalizeOptions({ specsDir: 'specs' }), request, {
    out: (t) => void (text += t),
    err: (t) => void (err += t),
  });
  return { ...result, text, err };
}

describe('audit of examples/research', () => {
  let root: string;
  beforeAll(() => {
    root = freshExample();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('before the pipeline ran: only missing-output warnings, and it passes', () => {
    const { result } = runAudit(root, loadWorkspace(root));
    expect(result.findings.map((f) => `${f.rule} ${f.entry}`)).toEqual([
      'output-missing clean-panel',
      'output-missing mincer-baseline',
      'output-missing mincer-with-region',
      'export-output-missing wage-table',
    ]);
    expect(result.exitCode).toBe(0);
  });

  it('after the pipeline ran: a clean table with every entry', () => {
    runPipeline(root);
    const { result } = runAudit(root, loadWorkspace(root));
    expect(result.findings).toEqual([]);
    expect(result.rows.map((r) => r.entry)).toEqual(ENTRIES);
    for (const row of result.rows) {
      const cells = [row.script, row.contract, row.output, row.outputKeys, row.exportScript, row.exportOutputs, row.reportRouting];
      expect(cells.every((c) => c !== '✗')).toBe(true);
      expect(row.notes).toEqual([]);
    }
    const table = renderMarkdown(result);
    expect(table).toMatch(
      /^\| entry \| spec \| spec status \| script \| contract \| output \| output keys \| export status \| export script \| export outputs \| report routing \| certification \| freshness \| notes \|$/m,
    );
    expect(table).toMatch(
      /^\| `wage-table` \| specs\/paper\/report-wage-table\.md:28 \| — \| — \| ✓ \| — \| — \| script ready \| ✓ \| ✓ \| ✓ \| unbound \| stale \|  \|$/m,
    );
    expect(table).toContain('Audit passed.');
  });

  it('writes _index.json and _routing.json deterministically', () => {
    const written = ['specs/_index.json', 'specs/_routing.json'];
    expect(audit(root, {}).err).toBe(`specthis: wrote ${written.join(', ')}\n`);
    const bytes = written.map((f) => readFileSync(join(root, f)));
    audit(root, {});
    expect(written.map((f) => readFileSync(join(root, f)))).toEqual(bytes);
    const index = JSON.parse(bytes[0].toString());
    const mincer = index.specs.find((s: { file: string }) => s.file === 'specs/models/compute-mincer.md');
    expect(mincer).toMatchObject({
      name: 'compute-mincer',
      kind: 'compute',
      depends_on: ['data/compute-clean.md', 'definitions.md'],
      title: 'Mincer wage equations',
      host_doc: null,
    });
    expect(mincer.entries[0]).toMatchObject({
      name: 'mincer-baseline',
      status: 'script ready',
      script: { path: 'scripts/fit_mincer.py', exists: true },
      certification: 'unbound',
      realization: 'stale',
    });
    expect(mincer.entries[0].output_keys).toEqual(expect.arrayContaining(['coefficients', 'n_obs', 'r_squared']));
    const routing = JSON.parse(bytes[1].toString());
    expect(routing.documents['reports/paper.tex'].labels['sec:results']).toEqual({
      line: 32,
      section_line: 32,
      section_command: 'section',
      section_title: 'Results',
      inputs: [{ command: 'input', path: 'tables/mincer', line: 46, file: 'reports/tables/mincer.tex', exists: true }],
      sectionversion_near: false,
      report_specs: ['specs/paper/report-wage-table.md'],
    });
    // Generated tables are artefacts, not host documents.
    expect(Object.keys(routing.documents)).toEqual(['reports/paper.tex']);
    expect(bytes.every((b) => b.toString().endsWith('}\n') && !/\d{4}-\d\d-\d\dT/.test(b.toString()))).toBe(true);
  });

  it('fails naming the finding when the paper no longer inputs the table', () => {
    const paper = join(root, 'reports', 'paper.tex');
    const text = readFileSync(paper, 'utf8');
    writeFileSync(paper, text.replace('\\input{tables/mincer}', '% \\input{tables/mincer}'));
    try {
      const run = audit(root, { write: false });
      expect(run.exitCode).toBe(1);
      expect(run.err).toBe('');
      expect(run.text).toContain(
        'reports/paper.tex:32: error: reports/tables/mincer.tex, exported by entry "wage-table" (specs/paper/report-wage-table.md), is not included in the section of \\label{sec:results} [orphaned-export]',
      );
      expect(run.text).toContain('expected: \\input{tables/mincer} in that section');
      const model = loadWorkspace(root);
      expect(generatedFiles(root, model, runAudit(root, model))['specs/_routing.json']).toContain('"inputs": []');
    } finally {
      writeFileSync(paper, text);
    }
  });

  it('renders JSON with rows, findings and the summary', () => {
    const json = JSON.parse(audit(root, { format: 'json', write: false }).text);
    expect(Object.keys(json).sort()).toEqual(['exitCode', 'findings', 'rows', 'scope', 'specs', 'summary']);
    expect(json.rows).toHaveLength(4);
    expect(json.summary).toMatchObject({ entries: 4, errors: 0, warnings: 0, scriptTbd: [] });
  });
});
