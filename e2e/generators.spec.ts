import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

/** `nx g @specthis/nx:init` and `:spec` through the real CLI, from an empty workspace to computable targets. */
describe('generators', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.empty('generators');
  });

  it('init --dry-run writes nothing', () => {
    const out = ws.nxOk('g', '@specthis/nx:init', '--dry-run').output;
    expect(out).toMatch(/CREATE specs\/README\.md/);
    expect(out).toMatch(/The "dryRun" flag means no changes were made/);
    expect(ws.exists('specs')).toBe(false);
    expect(ws.read('nx.json')).toBe('{}\n');
  });

  it('init registers the plugin once, writes the specs docs and ignores .specthis/', () => {
    ws.nxOk('g', '@specthis/nx:init');
    ws.nxOk('g', '@specthis/nx:init');
    const plugins = JSON.parse(ws.read('nx.json')).plugins;
    expect(plugins.filter((p: string | { plugin: string }) => (typeof p === 'string' ? p : p.plugin) === '@specthis/nx')).toHaveLength(1);
    expect(ws.read('specs/README.md')).toMatch(/compute--/);
    expect(ws.read('specs/AGENTS.md')).toMatch(/script TBD/);
    expect(ws.read('.gitignore').match(/^\/?\.specthis\/?$/gm)).toHaveLength(1);
  });

  it('spec scaffolds a compute spec whose entries become targets, and a report that depends on it', () => {
    ws.nxOk('g', '@specthis/nx:spec', 'compute-wages', '--entries=2', '--directory=wages');
    ws.nxOk(
      'g',
      '@specthis/nx:spec',
      'report-wages',
      '--kind=report',
      '--directory=wages',
      '--dependsOn=wages/compute-wages.md',
      '--entryNames=wage-table',
    );
    const project = JSON.parse(ws.nxOk('show', 'project', 'specs-wages', '--json').stdout);
    expect(Object.keys(project.targets).sort()).toEqual([
      'audit',
      'compute',
      'compute--wages-1',
      'compute--wages-2',
      'export',
      'export--wage-table',
    ]);
    // Targets of the same project are named bare (plugin/upstream.ts).
    expect(project.targets['export--wage-table'].dependsOn).toEqual(['compute--wages-1', 'compute--wages-2']);
  });

  it('spec refuses to overwrite, naming the rule', () => {
    const r = ws.nx('g', '@specthis/nx:spec', 'compute-wages', '--directory=wages');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/spec-exists/);
  });

  it('a scaffolded entry is script TBD, so computing it fails with that explanation', () => {
    const r = ws.nx('run', 'specs-wages:compute--wages-1', '--outputStyle=static');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/script TBD/);
  });
});
