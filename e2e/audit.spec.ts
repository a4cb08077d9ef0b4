import { TestWorkspace } from './support/workspace';

jest.setTimeout(900_000);

const ENTRIES = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];
const GENERATED = ['specs/_index.json', 'specs/_routing.json'];

/** The audit through the real nx CLI, on the example project after its pipeline ran. */
describe('nx run specs:audit', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('audit');
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
  });

  it('prints a clean table with every entry and exits 0', () => {
    const r = ws.nxOk('run', 'specs:audit', '--outputStyle=static');
    expect(r.output).toMatch(
      /\| entry \| spec \| spec status \| script \| contract \| output \| output keys \| export status \| export script \| export outputs \| report routing \| certification \| freshness \| notes \|/,
    );
    for (const entry of ENTRIES) expect(r.output).toMatch(new RegExp(`^\\| \`${entry}\` \\| specs/[^|]+ \\|.*\\| fresh \\|`, 'm'));
    expect(r.output).toContain('- 4 entries in 4 specs; 0 errors, 0 warnings');
    expect(r.output).toContain('Audit passed.');
  });

  it('writes _index.json and _routing.json, byte-identical across runs', () => {
    for (const file of GENERATED) ws.exec('rm', ['-f', file]);
    ws.nxOk('run', 'specs:audit');
    const first = GENERATED.map((f) => ws.read(f));
    ws.nxOk('run', 'specs:audit');
    expect(GENERATED.map((f) => ws.read(f))).toEqual(first);
    const index = JSON.parse(first[0]);
    expect(index.specs.flatMap((s: { entries: { name: string }[] }) => s.entries.map((e) => e.name)).sort()).toEqual(ENTRIES);
    expect(JSON.parse(first[1]).documents['reports/paper.tex'].labels['sec:results'].inputs[0]).toMatchObject({
      command: 'input',
      path: 'tables/mincer',
      file: 'reports/tables/mincer.tex',
    });
  });

  it('audits one spec directory from that project, writing nothing', () => {
    ws.exec('rm', ['-f', ...GENERATED]);
    const r = ws.nxOk('run', 'specs-models:audit', '--format=json', '--outputStyle=static');
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}') + 1));
    expect(report.rows.map((row: { entry: string }) => row.entry)).toEqual(['mincer-baseline', 'mincer-with-region']);
    expect(ws.exists('specs/_index.json')).toBe(false);
  });

  it('fails naming the finding when a script is deleted', () => {
    ws.exec('rm', ['scripts/export_wage_table.py']);
    try {
      const r = ws.nx('run', 'specs:audit', '--outputStyle=static');
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(
        /specs\/paper\/report-wage-table\.md:\d+: error: entry "wage-table" is "script ready" but its script scripts\/export_wage_table\.py does not exist \[export-script-missing\]/,
      );
    } finally {
      ws.git('checkout', '--', 'scripts/export_wage_table.py');
    }
  });

  it("fails naming the finding when the paper's \\input breaks", () => {
    ws.write('reports/paper.tex', ws.read('reports/paper.tex').replace('\\input{tables/mincer}', '\\input{tables/mincer-old}'));
    try {
      const r = ws.nx('run', 'specs:audit', '--outputStyle=static');
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(
        /reports\/paper\.tex:\d+: error: reports\/tables\/mincer\.tex, exported by entry "wage-table" .* \[orphaned-export\]/,
      );
      expect(r.output).toMatch(
        /reports\/paper\.tex:\d+: error: the section of \\label\{sec:results\} includes tables\/mincer-old .* \[stale-routing\]/,
      );
    } finally {
      ws.git('checkout', '--', 'reports/paper.tex');
    }
  });

  it('keeps the specsDir project, and its audit, when specsDir holds no spec of its own', () => {
    ws.exec('mkdir', ['-p', 'specs/common']);
    ws.exec('git', ['mv', 'specs/definitions.md', 'specs/common/definitions.md']);
    ws.exec('rm', ['-f', ...GENERATED]);
    for (const spec of ['specs/data/compute-clean.md', 'specs/models/compute-mincer.md'])
      ws.write(spec, ws.read(spec).replace(/definitions\.md\]/, 'common/definitions.md]'));
    ws.commitAll('move definitions into a subdirectory');
    expect(ws.exec('ls', ['-A', 'specs']).stdout.split('\n').filter(Boolean).sort()).toEqual(['common', 'data', 'models', 'paper']);
    expect(JSON.parse(ws.nxOk('show', 'projects', '--json').stdout).sort()).toEqual([
      'specs',
      'specs-common',
      'specs-data',
      'specs-models',
      'specs-paper',
    ]);
    const project = JSON.parse(ws.nxOk('show', 'project', 'specs', '--json').stdout);
    expect(Object.keys(project.targets)).toEqual(['audit', 'dashboard', 'serve', 'cache', 'cache-server']);
    expect(project.metadata.targetGroups).toEqual({
      audit: ['audit'],
      cache: ['cache', 'cache-server'],
      dashboard: ['dashboard', 'serve'],
    });
    const r = ws.nxOk('run', 'specs:audit', '--outputStyle=static');
    expect(r.output).toContain('- 4 entries in 4 specs; 0 errors, 0 warnings');
    expect(ws.exists('specs/_index.json')).toBe(true);
  });
});
