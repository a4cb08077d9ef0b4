import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../workspace/load';
import { runAudit } from './audit';

/**
 * Each `__fixtures__/<case>/` is a tiny workspace (specs, scripts, results,
 * reports); `expected.json` lists exactly the findings its audit must give.
 * `UPDATE_FIXTURES=1` rewrites the expectations; review the diff. RULE pins
 * the one rule each case exists for, so a rewrite cannot bless a wrong finding.
 */
const fixtures = join(__dirname, '__fixtures__');
const cases = readdirSync(fixtures).sort();

const RULE: Record<string, string | null> = {
  clean: null,
  'script-tbd': null,
  'missing-script': 'script-missing',
  'missing-output': 'output-missing',
  'missing-key': 'output-keys',
  'scope-creep': 'scope-creep',
  'routing-leak': 'routing-leak',
  'orphaned-export': 'orphaned-export',
  'stale-routing': 'stale-routing',
  'unknown-kind': 'front-matter-kind',
  'name-mismatch': 'front-matter-name',
  'depends-on-missing': 'depends-on-missing',
  'depends-on-unmentioned': 'depends-on-unmentioned',
  'report-no-host-doc': 'report-host-doc',
  'label-missing': 'routing-label-missing',
};

const audit = (name: string) => runAudit(join(fixtures, name), loadWorkspace(join(fixtures, name), { specsDir: 'specs' })).result;

describe('audit fixtures', () => {
  it('covers every fixture folder', () => {
    expect(cases).toEqual(Object.keys(RULE).sort());
  });

  it.each(cases)('%s', (name) => {
    const result = audit(name);
    const actual = result.findings.map(({ file, line, rule, severity, entry }) => ({
      file,
      line,
      rule,
      severity,
      ...(entry ? { entry } : {}),
    }));
    const expectedPath = join(fixtures, name, 'expected.json');
    if (process.env.UPDATE_FIXTURES) writeFileSync(expectedPath, `${JSON.stringify({ findings: actual }, null, 2)}\n`);
    // A missing expectation is a failure, never a file written and passed: UPDATE_FIXTURES=1 writes it, for review.
    if (!existsSync(expectedPath)) throw new Error(`${expectedPath} is missing; run with UPDATE_FIXTURES=1 and review what it writes`);
    expect({ findings: actual }).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    expect(actual.map((f) => f.rule)).toEqual(RULE[name] ? [RULE[name]] : []);
    expect(result.exitCode).toBe(result.findings.some((f) => f.severity === 'error') ? 1 : 0);
    for (const f of result.findings) expect(f.reason.length && f.expected?.length).toBeTruthy();
  });

  it('shows the failed check in the row of the entry concerned', () => {
    const row = (name: string, entry: string) => audit(name).rows.find((r) => r.entry === entry)!;
    expect(row('clean', 'fit')).toMatchObject({
      specStatus: 'script ready',
      script: '✓',
      contract: '✓',
      output: '✓',
      outputKeys: '✓',
      exportStatus: '—',
      reportRouting: '—',
      certification: 'unbound',
    });
    expect(row('clean', 'table')).toMatchObject({
      specStatus: '—',
      script: '—',
      exportStatus: 'script ready',
      exportScript: '✓',
      exportOutputs: '✓',
      reportRouting: '✓',
    });
    expect(row('missing-script', 'fit').script).toBe('✗');
    expect(row('missing-output', 'fit')).toMatchObject({ output: '✗', outputKeys: '—', freshness: 'missing' });
    expect(row('missing-key', 'fit')).toMatchObject({ outputKeys: '✗', notes: ['lacks beta'] });
    expect(row('scope-creep', 'fit').contract).toBe('✗');
    expect(row('routing-leak', 'fit').contract).toBe('✗');
    expect(row('orphaned-export', 'table')).toMatchObject({ reportRouting: '✗', notes: ['orphaned: reports/tables/fit.tex'] });
    expect(row('stale-routing', 'table')).toMatchObject({ reportRouting: '✗', notes: ['stale routing: tables/old-fit'] });
    expect(row('depends-on-missing', 'table').freshness).toBe('blocked');
    expect(row('script-tbd', 'fit')).toMatchObject({
      specStatus: 'script TBD',
      script: '✗',
      output: '✗',
      freshness: 'script TBD',
      notes: ['script TBD: waiting for the 2024 extract'],
    });
    expect(audit('script-tbd').summary.scriptTbd).toEqual(['fit']);
  });

  it('audits one spec directory when scoped', () => {
    const root = join(fixtures, 'orphaned-export');
    const scoped = runAudit(root, loadWorkspace(root, { specsDir: 'specs' }), { scope: './specs/' }).result;
    expect(scoped.rows.map((r) => r.entry)).toEqual(['fit', 'table']);
    const elsewhere = runAudit(root, loadWorkspace(root, { specsDir: 'specs' }), { scope: 'specs/none' }).result;
    expect(elsewhere).toMatchObject({ specs: [], rows: [], findings: [], exitCode: 0 });
  });
});
