import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

/** The inferred graph as the real nx CLI sees it, from the packed plugin. */
describe('inferred projects and graph', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('graph');
  });
  /** The project graph's edges as `nx graph --file` writes them, `source -> target`, sorted. */
  const projectEdges = () => {
    ws.nxOk('graph', '--file=graph.json');
    const graph = JSON.parse(ws.read('graph.json')).graph;
    return Object.values(graph.dependencies as Record<string, { source: string; target: string }[]>)
      .flat()
      .map((d) => `${d.source} -> ${d.target}`)
      .sort();
  };

  it('lists one project per spec directory', () => {
    const projects = JSON.parse(ws.nxOk('show', 'projects', '--json').stdout);
    expect(projects.sort()).toEqual(['specs', 'specs-data', 'specs-models', 'specs-paper']);
  });

  it('shows atomized entry targets with inputs, outputs, dependencies and metadata', () => {
    const project = JSON.parse(ws.nxOk('show', 'project', 'specs-models', '--json').stdout);
    expect(Object.keys(project.targets).sort()).toEqual(['audit', 'compute', 'compute--mincer-baseline', 'compute--mincer-with-region']);
    const target = project.targets['compute--mincer-baseline'];
    expect(target.executor).toBe('@specthis/nx:run');
    expect(target.options).toEqual({ entry: 'mincer-baseline' });
    // Another project's target as `project:target`; Nx resolves it to the same task as `{ projects, target }`.
    expect(target.dependsOn).toEqual(['specs-data:compute--clean-panel']);
    expect(target.inputs).toContainEqual({ dependentTasksOutputFiles: 'results/compute-clean-clean-panel/**/*', transitive: false });
    expect(target.inputs).toContainEqual({ json: '{workspaceRoot}/specs/_lock.json', fields: ['mincer-baseline'] });
    expect(target.inputs).toContain('{workspaceRoot}/scripts/fit_mincer.py');
    expect(target.outputs).toContain('{workspaceRoot}/results/compute-mincer-mincer-baseline');
    expect(target.metadata.technologies).toEqual(['specthis']);
    expect(project.metadata.targetGroups.compute).toEqual(['compute', 'compute--mincer-baseline', 'compute--mincer-with-region']);
    const paper = JSON.parse(ws.nxOk('show', 'project', 'specs-paper', '--json').stdout);
    expect(paper.targets['export--wage-table'].dependsOn).toEqual([
      'specs-models:compute--mincer-baseline',
      'specs-models:compute--mincer-with-region',
    ]);
    // Both upstream result directories in one brace group.
    expect(paper.targets['export--wage-table'].inputs).toContainEqual({
      dependentTasksOutputFiles: 'results/{compute-mincer-mincer-baseline,compute-mincer-mincer-with-region}/**/*',
      transitive: false,
    });
  });

  it('writes spec-level edges into nx graph', () => {
    expect(projectEdges()).toEqual([
      'specs-data -> specs',
      'specs-models -> specs',
      'specs-models -> specs-data',
      'specs-paper -> specs-models',
    ]);
  });

  it('keeps the edges of a spec project that a project.json renames, and fails no graph', () => {
    ws.write('specs/models/project.json', JSON.stringify({ name: 'models' }));
    try {
      expect(projectEdges()).toEqual(['models -> specs', 'models -> specs-data', 'specs-data -> specs', 'specs-paper -> models']);
      // Nx's name substitution carries the rename into the downstream targets, too.
      const paper = JSON.parse(ws.nxOk('show', 'project', 'specs-paper', '--json').stdout);
      expect(paper.targets['export--wage-table'].dependsOn).toEqual([
        'models:compute--mincer-baseline',
        'models:compute--mincer-with-region',
      ]);
    } finally {
      rmSync(ws.path('specs', 'models', 'project.json'));
    }
  });

  it('caches each spec parse by content hash in the workspace data directory', () => {
    const cacheFile = () => {
      const dir = ws.path('.nx', 'workspace-data');
      const name = readdirSync(dir).find((f) => /^specthis-.*\.json$/.test(f));
      if (!name) throw new Error(`no specthis cache in ${dir}`);
      return JSON.parse(ws.read(join('.nx', 'workspace-data', name))) as { specs: Record<string, { hash: string }> };
    };
    ws.nxOk('show', 'projects');
    const before = cacheFile().specs;
    expect(Object.keys(before).sort()).toEqual([
      'specs/data/compute-clean.md',
      'specs/definitions.md',
      'specs/models/compute-mincer.md',
      'specs/paper/report-wage-table.md',
    ]);
    ws.write('specs/definitions.md', `${ws.read('specs/definitions.md')}\nAnother definition.\n`);
    ws.nxOk('show', 'projects');
    const after = cacheFile().specs;
    expect(after['specs/definitions.md'].hash).not.toBe(before['specs/definitions.md'].hash);
    expect(after['specs/models/compute-mincer.md'].hash).toBe(before['specs/models/compute-mincer.md'].hash);
  });
});
