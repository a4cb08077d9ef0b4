import { TestWorkspace } from './support/workspace';

jest.setTimeout(900_000);

const LOCK = 'specs/_lock.json';
const RUN = ['run', 'specs-models:compute--mincer-baseline', '--outputStyle=static', '--skip-nx-cache'];

/** Certification through the real CLI: `nx g @specthis/nx:certify`, then the run refusing drifted entries. */
describe('certify', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('certify');
  });

  it('--dry-run shows the record it would write and writes no lock', () => {
    const out = ws.nxOk('g', '@specthis/nx:certify', 'mincer-baseline', '--dry-run', '--author=E2E').output;
    expect(out).toMatch(
      /Certify mincer-baseline in specs\/_lock\.json \(new record\) as E2E:\n\s+inputs_certified\s+[0-9a-f]{64}\n\s+spec-shared\s+specs\/models\/compute-mincer\.md\s+[0-9a-f]{12}/,
    );
    expect(out).toMatch(/The "dryRun" flag means no changes were made/);
    expect(ws.exists(LOCK)).toBe(false);
  });

  it('certifies an entry, which then runs without the unbound warning', () => {
    const out = ws.nxOk('g', '@specthis/nx:certify', 'mincer-baseline', '--author=E2E').output;
    expect(out).toMatch(/Wrote specs\/_lock\.json: certified mincer-baseline\./);
    const record = JSON.parse(ws.read(LOCK))['mincer-baseline'];
    expect(record).toMatchObject({ framing: 'specthis-inputs/1', depends_on: ['data/compute-clean.md', 'definitions.md'], author: 'E2E' });
    expect(record.components.map((c: { role: string; path: string }) => `${c.role} ${c.path}`)).toEqual([
      'spec-shared specs/models/compute-mincer.md',
      'entry-block specs/models/compute-mincer.md#mincer-baseline',
      'script scripts/fit_mincer.py',
      'workflow config/mincer.json',
    ]);
    const run = ws.nxOk(...RUN).output;
    expect(run).toMatch(/specthis: running mincer-baseline/);
    expect(run).not.toMatch(/mincer-baseline was never certified/);
    // Its upstream was never certified: it runs, with the warning.
    expect(run).toMatch(
      /specs\/data\/compute-clean\.md:\d+: warning: clean-panel was never certified \(no record in specs\/_lock\.json\); it goes ahead uncertified \[run-unbound\]/,
    );
  });

  it('a dry run leaves an existing lock byte for byte', () => {
    const before = ws.read(LOCK);
    ws.nxOk('g', '@specthis/nx:certify', 'mincer-with-region', '--dry-run');
    ws.nxOk('g', '@specthis/nx:certify', 'mincer-baseline', '--clear', '--dry-run');
    expect(ws.read(LOCK)).toBe(before);
  });

  it('fails the entry after its script is edited, naming the script and how to re-certify; re-certified, it runs', () => {
    ws.write('scripts/fit_mincer.py', `${ws.read('scripts/fit_mincer.py')}\n# a change nobody checked against the spec\n`);
    const failed = ws.nx(...RUN);
    expect(failed.code).not.toBe(0);
    expect(failed.output).toMatch(
      /specs\/models\/compute-mincer\.md:\d+: error: mincer-baseline needs a spec audit: script scripts\/fit_mincer\.py changed since E2E certified it on \d{4}-\d\d-\d\d \[run-spec-audit-needed\]/,
    );
    expect(failed.output).toMatch(
      /re-certify: nx g @specthis\/nx:certify mincer-baseline \(or: npx specthis lock record mincer-baseline\)/,
    );
    expect(ws.exists('.specthis/receipts/mincer-baseline.json')).toBe(true);

    const again = ws.nxOk('g', '@specthis/nx:certify', 'mincer-baseline', '--author=E2E').output;
    expect(again).toMatch(/re-certify; moved since the last record: script scripts\/fit_mincer\.py/);
    expect(ws.nxOk(...RUN).output).toMatch(
      /specthis: running mincer-baseline \(stale: script scripts\/fit_mincer\.py changed since the last run\)/,
    );
  });

  it('stays certified when a sibling entry block of the same spec is edited', () => {
    const spec = 'specs/models/compute-mincer.md';
    const text = ws.read(spec);
    const sibling = 'so returns are compared within regions.';
    expect(text).toContain(sibling);
    ws.write(spec, text.replace(sibling, 'so returns are compared within each region.'));
    ws.commitAll('edit mincer-with-region only');
    const out = ws.nxOk(...RUN).output;
    expect(out).not.toMatch(/needs a spec audit/);
    expect(out).toMatch(/specthis: mincer-baseline is fresh/);
  });

  it('fails an entry that was never certified when nx.json sets requireCertified', () => {
    const nxJson = JSON.parse(ws.read('nx.json'));
    nxJson.plugins[0].options.requireCertified = true;
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    const r = ws.nx('run', 'specs-data:compute--clean-panel', '--outputStyle=static', '--skip-nx-cache');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(
      /specs\/data\/compute-clean\.md:\d+: error: clean-panel was never certified \(no record in specs\/_lock\.json\) and the plugin option "requireCertified" is true, so it does not run \[run-unbound\]/,
    );
  });
});
