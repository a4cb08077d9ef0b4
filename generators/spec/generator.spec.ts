import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { parseSpec } from '../../core/spec/parse';
import { specGenerator } from './generator';
import type { SpecGeneratorSchema } from './schema';

function read(tree: Tree, file: string) {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new Error(`${file} was not written`);
  const [, yaml, body] = /^---\n([\s\S]*?)---\n([\s\S]*)$/.exec(text) ?? [];
  return { text, front: parse(yaml), body };
}

describe('spec generator', () => {
  let tree: Tree;
  const gen = (schema: Partial<SpecGeneratorSchema> & { name: string }) => specGenerator(tree, schema);

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('scaffolds a compute spec with one entry in the exact spec format', async () => {
    await gen({ name: 'compute-wages' });
    expect(tree.read('specs/compute-wages.md', 'utf-8')).toBe(
      [
        '---',
        'name: compute-wages',
        'kind: compute',
        'depends_on: []',
        '---',
        '',
        '# compute-wages',
        '',
        '## Script',
        '',
        'TODO: how the code is laid out: what it reads, the method, and the JSON result each entry writes under `results/`. This applies to every entry below. Describe data and method only; presentation belongs in a report spec, and results stay in the outputs.',
        '',
        '## Entry',
        '',
        '### wages',
        '',
        '- Script: `scripts/compute-wages.py`',
        '- Output: `results/compute-wages-wages/result.json`',
        '- Status: script TBD',
        '',
      ].join('\n'),
    );
  });

  it('writes specs the plugin parses without diagnostics, for every kind', async () => {
    await gen({ name: 'compute-clean', entries: 2 });
    await gen({ name: 'compute-wages', dependsOn: 'compute-clean' });
    await gen({ name: 'report-wages', kind: 'report', dependsOn: 'compute-wages.md', entryNames: 'wage-table' });
    await gen({ name: 'figure-trends', kind: 'figure', directory: 'figures' });
    await gen({ name: 'glossary', kind: 'definitions' });
    const files = ['compute-clean', 'compute-wages', 'report-wages', 'figures/figure-trends', 'glossary'].map((f) => `specs/${f}.md`);
    const specs = files.map((file) => parseSpec(file, file.slice('specs/'.length), tree.read(file)!));
    expect(specs.flatMap((s) => s.diagnostics)).toEqual([]);
    expect(specs.map((s) => s.entries.map((e) => `${e.family}--${e.name}`))).toEqual([
      ['compute--clean-1', 'compute--clean-2'],
      ['compute--wages'],
      ['export--wage-table'],
      ['export--trends-figure'],
      [],
    ]);
    expect(specs[1].entries[0]).toMatchObject({
      script: 'scripts/compute-wages.py',
      outputs: ['results/compute-wages-wages/result.json'],
      status: 'script TBD',
    });
    expect(specs[2].entries[0]).toMatchObject({
      script: 'scripts/report-wages.py',
      outputs: ['reports/tables/wage-table.tex'],
      status: 'script TBD',
    });
    expect(specs[3].entries[0].outputs).toEqual(['reports/figures/trends-figure.pdf']);
  });

  it('uses `## Entries` and numbered names for several entries', async () => {
    await gen({ name: 'compute-fit', entries: 3 });
    const { body } = read(tree, 'specs/compute-fit.md');
    expect(body).toContain('## Entries\n');
    expect(body).not.toContain('## Entry\n');
    expect(body.match(/^### .*$/gm)).toEqual(['### fit-1', '### fit-2', '### fit-3']);
    expect(body).toContain('- Output: `results/compute-fit-fit-2/result.json`');
    expect(body).not.toContain('Keys:');
  });

  it('takes entry names from --entryNames, and the count from them', async () => {
    await gen({ name: 'compute-wages', entryNames: 'wages-2019, wages-2020' });
    expect(read(tree, 'specs/compute-wages.md').body.match(/^### .*$/gm)).toEqual(['### wages-2019', '### wages-2020']);
  });

  it('keeps the whole name when it has no kind prefix', async () => {
    await gen({ name: 'wages' });
    expect(read(tree, 'specs/wages.md').body).toContain('### wages\n');
  });

  it('writes report front matter with host_doc and section_label defaults', async () => {
    await gen({ name: 'report-wages', kind: 'report', dependsOn: 'compute-wages.md,data/compute-clean' });
    const { front, body } = read(tree, 'specs/report-wages.md');
    expect(front).toEqual({
      name: 'report-wages',
      kind: 'report',
      depends_on: ['compute-wages.md', 'data/compute-clean.md'],
      host_doc: 'reports/paper.tex',
      section_label: 'sec:report-wages',
    });
    expect(body).toContain('## Artefact design\n');
    expect(body).toContain('`compute-wages.md`, `data/compute-clean.md`');
    expect(body).toContain(
      '### wages-table\n\n- Export script: `scripts/report-wages.py`\n- Export outputs: `reports/tables/wages-table.tex`\n- Status: script TBD\n',
    );
  });

  it('writes figure specs without host_doc and with a PDF output', async () => {
    await gen({ name: 'figure-trends', kind: 'figure' });
    const { front, body } = read(tree, 'specs/figure-trends.md');
    expect(front).toEqual({ name: 'figure-trends', kind: 'figure', depends_on: [] });
    expect(body).toContain('- Export outputs: `reports/figures/trends-figure.pdf`');
  });

  it('writes definitions specs without entries', async () => {
    await gen({ name: 'glossary', kind: 'definitions', dependsOn: 'meta.md' });
    const { front, body } = read(tree, 'specs/glossary.md');
    expect(front).toEqual({ name: 'glossary', kind: 'definitions', depends_on: ['meta.md'] });
    expect(body).toContain('## Definitions');
    expect(body).toContain('`meta.md`');
    expect(body).not.toMatch(/^##+ Entr/m);
  });

  it('quotes front matter values through yaml so they read back as strings', async () => {
    await gen({ name: 'null', entryNames: 'n1' });
    await gen({ name: '1.0', entryNames: 'v1' });
    await gen({ name: 'report-x', kind: 'report', sectionLabel: '@sec:x', hostDoc: 'reports/true.tex', dependsOn: 'yes.md' });
    expect(read(tree, 'specs/null.md').front.name).toBe('null');
    expect(read(tree, 'specs/1.0.md').front.name).toBe('1.0');
    expect(read(tree, 'specs/report-x.md').front).toMatchObject({
      section_label: '@sec:x',
      host_doc: 'reports/true.tex',
      depends_on: ['yes.md'],
    });
  });

  it('follows the specsDir the plugin is registered with, and --directory', async () => {
    tree.write('nx.json', JSON.stringify({ plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }] }));
    await gen({ name: 'compute-wages', directory: 'wages/' });
    expect(tree.exists('research/specs/wages/compute-wages.md')).toBe(true);
    await gen({ name: 'compute-other', specsDir: 'elsewhere' });
    expect(tree.exists('elsewhere/compute-other.md')).toBe(true);
  });

  it('writes only through the Tree (so --dry-run writes nothing)', async () => {
    const cwd = process.cwd();
    const dir = mkdtempSync(path.join(tmpdir(), 'specthis-spec-'));
    try {
      process.chdir(dir);
      await gen({ name: 'compute-wages', entries: 2 });
      await gen({ name: 'report-wages', kind: 'report', entryNames: 'wage-table', dependsOn: 'compute-wages.md' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      tree
        .listChanges()
        .map((c) => c.path)
        .filter((p) => p.startsWith('specs/')),
    ).toEqual(['specs/compute-wages.md', 'specs/report-wages.md']);
  });

  it('finds entry names already declared when specsDir is "." (the workspace root)', async () => {
    await gen({ name: 'compute-wages', specsDir: '.' });
    expect(tree.exists('compute-wages.md')).toBe(true);
    await expect(gen({ name: 'compute-wages-again', specsDir: '.', entryNames: 'wages' })).rejects.toThrow(
      /entry name `wages` is already declared in compute-wages\.md/,
    );
  });
});
