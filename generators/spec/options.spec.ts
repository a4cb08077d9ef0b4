import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { specGenerator } from './generator';
import type { SpecGeneratorSchema } from './schema';

/** What the spec generator refuses; each message names the rule and shows the right form. */
describe('spec generator refuses', () => {
  let tree: Tree;
  const gen = (schema: Partial<SpecGeneratorSchema> & { name: string }) => specGenerator(tree, schema);

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const refused = (schema: Partial<SpecGeneratorSchema> & { name: string }, ...parts: (string | RegExp)[]) =>
    expect(gen(schema)).rejects.toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(parts.map((p) => (typeof p === 'string' ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : p.source)).join('[\\s\\S]*')),
        ),
      }),
    );

  it('an existing spec, leaving it untouched', async () => {
    tree.write('specs/compute-wages.md', 'mine\n');
    await refused({ name: 'compute-wages' }, 'already exists', '[spec-exists]');
    expect(tree.read('specs/compute-wages.md', 'utf-8')).toBe('mine\n');
  });

  it('invalid spec names, naming the rule and the right form', async () => {
    for (const name of ['Compute-Wages', 'compute wages', 'wages/compute', 'a--b', '_private', '']) {
      await refused({ name }, 'invalid spec name', '[a-z0-9][a-z0-9._-]*', '[spec-name]', 'expected: compute-wages');
    }
    await refused({ name: 'readme' }, 'reserved', '[spec-name]');
  });

  it('invalid entry names, naming the rule and the right form', async () => {
    for (const entryNames of ['Wages', 'wages--2019', 'wages 2019', '-x']) {
      await refused(
        { name: 'compute-wages', entryNames },
        'invalid entry name',
        '[a-z0-9][a-z0-9._-]*',
        'never containing `--`',
        '[entry-name]',
        'expected: wages-2019',
      );
    }
  });

  it('entry names already declared elsewhere in the workspace, or twice', async () => {
    await gen({ name: 'compute-wages' });
    await refused(
      { name: 'wages', directory: 'other' },
      'entry name `wages` is already declared in specs/compute-wages.md',
      'unique across the workspace',
      'expected: --entryNames=wages-2',
    );
    await refused({ name: 'compute-x', entryNames: 'a,a' }, 'listed twice', '[entry-name-unique]');
  });

  it('an unknown kind', async () => {
    await refused({ name: 'x', kind: 'meta' as never }, 'unknown kind `meta`', 'compute, report, figure, definitions', '[spec-kind]');
  });

  it('entry counts that do not fit the kind', async () => {
    await refused({ name: 'glossary', kind: 'definitions', entries: 1 }, 'definitions specs have no entries');
    await refused({ name: 'compute-x', entries: 0 }, 'at least one entry');
    await refused({ name: 'compute-x', entries: 3, entryNames: 'a,b' }, '--entries=3 but --entryNames lists 2 names');
    await refused({ name: 'compute-x', entries: 1.5 }, 'whole number');
  });

  it('paths outside the workspace and report options on other kinds', async () => {
    await refused({ name: 'compute-x', dependsOn: '../other.md' }, '[option-path]');
    await refused({ name: 'compute-x', directory: '/abs' }, '[option-path]');
    await refused({ name: 'compute-x', directory: '_generated' }, '[option-path]');
    await refused({ name: 'compute-x', hostDoc: 'reports/paper.tex' }, 'belong to report specs', '[report-only]');
    await refused({ name: 'report-x', kind: 'report', hostDoc: 'paper.tex' }, 'under `reports/`', '[host-doc]');
    await refused({ name: 'report-x', kind: 'report', sectionLabel: 'sec x' }, '[section-label]');
    await refused({ name: 'compute-x', dependsOn: 'compute-x.md' }, 'cannot depend on itself');
  });
});
