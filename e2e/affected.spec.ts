import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

const affected = (ws: TestWorkspace) =>
  JSON.parse(ws.nxOk('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json').stdout).sort();

/** `nx affected` follows spec edits through depends_on. */
describe('nx affected after editing a spec', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('affected');
  });

  it('marks the edited spec project and its dependents, nothing else', () => {
    ws.write(
      'specs/models/compute-mincer.md',
      ws.read('specs/models/compute-mincer.md').replace('OLS on the pooled clean panel.', 'OLS on the pooled clean panel, all years.'),
    );
    ws.commitAll('edit the mincer spec');
    expect(affected(ws)).toEqual(['specs-models', 'specs-paper']);
  });

  it('follows an upstream edit through every dependent', () => {
    ws.write('specs/data/compute-clean.md', `${ws.read('specs/data/compute-clean.md')}\nOne more sentence of prose.\n`);
    ws.commitAll('edit the clean spec');
    expect(affected(ws)).toEqual(['specs-data', 'specs-models', 'specs-paper']);
  });

  it('marks the projects whose entries take an edited script as input', () => {
    ws.write('scripts/export_wage_table.py', `${ws.read('scripts/export_wage_table.py')}\n# reformatted\n`);
    ws.commitAll('edit the exporter');
    expect(affected(ws)).toEqual(['specs-paper']);
  });

  it('runs only what the edit affects: the export again, its upstream computes from the cache', () => {
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    ws.write('specs/paper/report-wage-table.md', `${ws.read('specs/paper/report-wage-table.md')}\nA note for the reviewer.\n`);
    ws.commitAll('edit the report spec');
    const out = ws.nxOk('affected', '-t', 'export', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static').output;
    const status = Object.fromEntries(ws.lastRun().map((t) => [t.taskId, t.cacheStatus]));
    expect(status['specs-paper:export--wage-table']).toBe('cache-miss');
    // Nx still schedules the export's dependencies, transitively; none of them runs its script again.
    const computes = Object.entries(status).filter(([id]) => id.includes(':compute--'));
    expect(computes.map(([id]) => id).sort()).toEqual([
      'specs-data:compute--clean-panel',
      'specs-models:compute--mincer-baseline',
      'specs-models:compute--mincer-with-region',
    ]);
    // A cache hit replays the task's terminal output, so the output text cannot tell; the run summary can.
    for (const [, s] of computes) expect(s).toMatch(/^local-cache/);
    expect(out).toMatch(
      /specthis: running wage-table \(stale: entry block specs\/paper\/report-wage-table\.md#wage-table changed since the last run\)/,
    );
  });
});
