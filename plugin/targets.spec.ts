import { parseSpec } from '../core/spec/parse';
import { analyzeWorkspace } from '../core/workspace/analyze';
import { DEFAULT_OPTIONS } from '../core/workspace/types';
import { inferProjects } from './targets';

const compute = (specPath: string, entries: string[], dependsOn: string[] = []) =>
  parseSpec(
    `specs/${specPath}`,
    specPath,
    Buffer.from(
      `---\nkind: compute\ndepends_on: [${dependsOn.join(', ')}]\n---\n## Entries\n` +
        entries
          .map(
            (e) =>
              `### ${e}\n- Script: scripts/${e}.py\n- Workflows: config/${e}.json\n- Output: results/${e}/out.json\n- Status: script ready\n`,
          )
          .join(''),
    ),
  );
const report = (specPath: string, entry: string, dependsOn: string[]) =>
  parseSpec(
    `specs/${specPath}`,
    specPath,
    Buffer.from(
      `---\nkind: report\nhost_doc: reports/paper.tex\nsection_label: sec:r\ndepends_on: [${dependsOn.join(', ')}]\n---\n## Entry\n### ${entry}\n- Export script: scripts/${entry}.py\n- Export outputs: reports/tables/${entry}.tex, reports/tables/${entry}.dat\n- Status: script ready\n`,
    ),
  );

const projects = (specs: ReturnType<typeof compute>[]) =>
  Object.fromEntries(inferProjects(analyzeWorkspace(specs, DEFAULT_OPTIONS)).map((p) => [p.name, p]));

describe('inferProjects', () => {
  const ps = projects([
    compute('data/clean.md', ['clean']),
    compute('models/fit.md', ['fit-a', 'fit-b'], ['data/clean.md']),
    report('paper/table.md', 'table', ['models/fit.md']),
  ]);

  it('makes one project per spec directory with atomized targets under noop parents', () => {
    expect(Object.keys(ps).sort()).toEqual(['specs', 'specs-data', 'specs-models', 'specs-paper']);
    expect(Object.keys(ps['specs-models'].targets).sort()).toEqual(['audit', 'compute', 'compute--fit-a', 'compute--fit-b']);
    expect(ps['specs-models'].targets.compute).toMatchObject({ executor: 'nx:noop', dependsOn: ['compute--fit-a', 'compute--fit-b'] });
    expect(ps['specs-models'].targetGroups).toEqual({ compute: ['compute', 'compute--fit-a', 'compute--fit-b'], audit: ['audit'] });
    expect(Object.keys(ps['specs-paper'].targets).sort()).toEqual(['audit', 'export', 'export--table']);
  });

  it('gives entry targets small options, cross-project dependsOn, certification inputs and owned outputs', () => {
    const t = ps['specs-models'].targets['compute--fit-a'];
    expect(t.options).toEqual({ entry: 'fit-a' });
    expect(t.dependsOn).toEqual(['specs-data:compute--clean']);
    expect(t.inputs).toEqual([
      '{workspaceRoot}/specs/models/fit.md',
      '{workspaceRoot}/scripts/fit-a.py',
      '{workspaceRoot}/config/fit-a.json',
      { json: '{workspaceRoot}/specs/_lock.json', fields: ['fit-a'] },
      { dependentTasksOutputFiles: 'results/clean/**/*', transitive: false },
    ]);
    expect(t.outputs).toEqual(['{workspaceRoot}/results/fit-a', '{workspaceRoot}/.specthis/receipts/fit-a.json']);
    expect(t.cache).toBe(true);
    expect(t.metadata).toMatchObject({ technologies: ['specthis'] });
    expect(t.metadata!.description).toContain('specs/models/fit.md:');
    expect(ps['specs-paper'].targets['export--table'].outputs).toEqual([
      '{workspaceRoot}/reports/tables/table.dat',
      '{workspaceRoot}/reports/tables/table.tex',
      '{workspaceRoot}/.specthis/receipts/table.json',
    ]);
  });

  it('names same-project upstream targets bare and takes every upstream result through one brace-group input', () => {
    const local = projects([
      compute('m/a.md', ['a1', 'a2']),
      compute('m/b.md', ['b1'], ['m/a.md', 'data/clean.md']),
      compute('data/clean.md', ['clean']),
    ]);
    const t = local['specs-m'].targets['compute--b1'];
    expect(t.dependsOn).toEqual(['compute--a1', 'compute--a2', 'specs-data:compute--clean']);
    expect(t.inputs!.filter((i) => typeof i === 'object' && 'dependentTasksOutputFiles' in i)).toEqual([
      { dependentTasksOutputFiles: 'results/{a1,a2,clean}/**/*', transitive: false },
    ]);
  });

  it('gives entries that share an upstream equal parts, each its own copy', () => {
    // A project name with a colon keeps the object form of dependsOn, whose `projects` array Nx may rewrite in place.
    const shared = projects([compute('a:b/clean.md', ['clean']), compute('models/fit.md', ['fit-a', 'fit-b'], ['a:b/clean.md'])]);
    const [a, b] = ['compute--fit-a', 'compute--fit-b'].map((t) => shared['specs-models'].targets[t]);
    expect(a.dependsOn).toEqual(b.dependsOn);
    expect(a.dependsOn).toEqual([{ projects: ['specs-a:b'], target: 'compute--clean' }]);
    expect(a.dependsOn).not.toBe(b.dependsOn);
    const [da, db] = [a.dependsOn![0], b.dependsOn![0]] as { projects: string[] }[];
    expect(da).not.toBe(db);
    expect(da.projects).not.toBe(db.projects);
    expect(a.inputs!.at(-1)).toEqual(b.inputs!.at(-1));
    expect(a.inputs!.at(-1)).not.toBe(b.inputs!.at(-1));
  });

  it('replaces a broken spec by a failing target that its dependents wait on, without cycles', () => {
    const broken = projects([
      compute('a/x.md', ['x'], ['a/y.md']),
      compute('a/y.md', ['y'], ['a/x.md']),
      compute('b/z.md', ['z'], ['a/x.md']),
      compute('b/ok.md', ['ok']),
    ]);
    expect(Object.keys(broken['specs-a'].targets).sort()).toEqual(['audit', 'compute', 'invalid--x', 'invalid--y']);
    expect(broken['specs-a'].targets['invalid--x']).toMatchObject({ executor: '@specthis/nx:run', options: { spec: 'specs/a/x.md' } });
    expect(broken['specs-a'].targets['invalid--x'].dependsOn).toBeUndefined();
    expect(broken['specs-b'].targets['compute--z'].dependsOn).toEqual(['specs-a:invalid--x']);
    expect(broken['specs-b'].targets['compute--ok'].dependsOn).toEqual([]);
  });

  it('hashes the whole lock file for an entry whose name has a dot, since Nx reads fields as dot paths', () => {
    const t = projects([compute('m.md', ['fit.v2'])])['specs'].targets['compute--fit.v2'];
    expect(t.inputs).toContain('{workspaceRoot}/specs/_lock.json');
  });

  it('gives every project an uncached audit target scoped to its directory', () => {
    const audit = ps['specs-models'].targets.audit;
    expect(audit).toMatchObject({ executor: '@specthis/nx:audit', options: { scope: 'specs/models' }, cache: false, inputs: [] });
    expect(audit.metadata).toMatchObject({ technologies: ['specthis'], help: { command: 'npx nx run specs-models:audit --format=json' } });
    expect(audit.metadata!.description).toContain('the specs in specs/models/');
  });

  it('always infers the specsDir project, whose audit covers the whole workspace', () => {
    expect(ps.specs).toMatchObject({
      root: 'specs',
      specs: [],
      source: 'specs/data/clean.md',
      targetGroups: { audit: ['audit'], cache: ['cache', 'cache-server'], dashboard: ['dashboard', 'serve'] },
    });
    expect(Object.keys(ps.specs.targets)).toEqual(['audit', 'dashboard', 'serve', 'cache', 'cache-server']);
    expect(ps.specs.targets.cache).toMatchObject({ executor: '@specthis/nx:cache', options: {}, cache: false, inputs: [] });
    expect(ps['specs-models'].targets.cache).toBeUndefined();
    expect(ps.specs.targets.dashboard).toMatchObject({ executor: '@specthis/nx:dashboard', cache: false, inputs: [] });
    expect(ps.specs.targets.serve).toMatchObject({ executor: '@specthis/nx:serve', continuous: true, cache: false });
    // Options stay empty (Nx hashes them into every task of the project): the store is read when it runs.
    expect(ps.specs.targets['cache-server']).toMatchObject({
      executor: '@specthis/nx:cache-server',
      options: {},
      continuous: true,
      readyWhen: { signal: true },
      cache: false,
      inputs: [],
    });
    expect(ps['specs-models'].targets['cache-server']).toBeUndefined();
    expect(ps['specs-models'].targets.dashboard).toBeUndefined();
    expect(ps.specs.targets.audit.options).toEqual({});
    expect(ps.specs.targets.audit.metadata!.description).toMatch(
      /^Audit every spec of the workspace .*; writes _index\.json and _routing\.json$/,
    );
    const flat = projects([compute('m.md', ['m'])]);
    expect(Object.keys(flat)).toEqual(['specs']);
    expect(Object.keys(flat.specs.targets).sort()).toEqual([
      'audit',
      'cache',
      'cache-server',
      'compute',
      'compute--m',
      'dashboard',
      'serve',
    ]);
    expect(flat.specs.targets.audit.options).toEqual({});
    expect(inferProjects(analyzeWorkspace([], DEFAULT_OPTIONS))).toEqual([]);
  });

  it('puts the whole-workspace audit on the specsDir project when specsDir is nested or the workspace root', () => {
    const nested = (file: string) => parseSpec(`research/specs/${file}`, file, Buffer.from('---\nkind: definitions\n---\n'));
    const ps2 = Object.fromEntries(
      inferProjects(analyzeWorkspace([nested('a/x.md')], { ...DEFAULT_OPTIONS, specsDir: 'research/specs' })).map((p) => [p.name, p]),
    );
    expect(Object.keys(ps2).sort()).toEqual(['research-specs', 'research-specs-a']);
    expect(ps2['research-specs'].targets.audit.options).toEqual({});
    expect(ps2['research-specs-a'].targets.audit.options).toEqual({ scope: 'research/specs/a' });
    const atRoot = inferProjects(
      analyzeWorkspace([parseSpec('docs/x.md', 'docs/x.md', Buffer.from('---\nkind: definitions\n---\n'))], {
        ...DEFAULT_OPTIONS,
        specsDir: '.',
      }),
    );
    expect(atRoot.map((p) => [p.root, p.targets.audit.options])).toEqual([
      ['.', {}],
      ['docs', { scope: 'docs' }],
    ]);
  });
});
