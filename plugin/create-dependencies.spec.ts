import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext } from '@nx/devkit';
import { createDependencies } from './create-dependencies';

/** Without a createNodes run in the same process, createDependencies reads the specs itself. */
describe('createDependencies', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const spec = (name: string, deps: string[]) => `---\nname: ${name}\nkind: compute\ndepends_on: [${deps.join(', ')}]\n---\n`;
  const edges = async (projects: string[]) => {
    const context = {
      workspaceRoot: root,
      projects: Object.fromEntries(projects.map((p) => [p, { root: p }])),
    } as unknown as CreateDependenciesContext;
    return (await createDependencies({ specsDir: 'specs' }, context)).map(
      (d) => `${d.source} -> ${d.target} (${'sourceFile' in d ? d.sourceFile : ''}, ${d.type})`,
    );
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-create-deps-'));
    write('specs/data/compute-clean.md', spec('compute-clean', []));
    write('specs/models/compute-fit.md', spec('compute-fit', ['data/compute-clean.md', 'models/compute-base.md', 'nowhere/gone.md']));
    write('specs/models/compute-base.md', spec('compute-base', ['data/compute-clean.md']));
    write('specs/paper/report-table.md', spec('report-table', ['models/compute-fit.md']));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('links spec projects along depends_on, sorted, skipping same-project and missing specs', async () => {
    expect(await edges(['specs', 'specs-data', 'specs-models', 'specs-paper'])).toEqual([
      'specs-models -> specs-data (specs/models/compute-base.md, static)',
      'specs-models -> specs-data (specs/models/compute-fit.md, static)',
      'specs-paper -> specs-models (specs/paper/report-table.md, static)',
    ]);
  });

  it('drops edges whose source or target project Nx does not know', async () => {
    expect(await edges(['specs-data', 'specs-models'])).toEqual([
      'specs-models -> specs-data (specs/models/compute-base.md, static)',
      'specs-models -> specs-data (specs/models/compute-fit.md, static)',
    ]);
  });
});
