import { logger, readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { findPackageRoot } from '../template-path';
import { initGenerator } from './generator';

const plugins = (tree: Tree) => readJson(tree, 'nx.json').plugins;

describe('init generator', () => {
  let tree: Tree;
  let info: jest.SpyInstance;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('registers the plugin once, however often it runs', async () => {
    await initGenerator(tree, {});
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual([{ plugin: '@specthis/nx' }]);
  });

  it('records a non-default specsDir and follows it on later runs', async () => {
    await initGenerator(tree, { specsDir: './research/specs/' });
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual([{ plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }]);
    expect(tree.exists('research/specs/README.md')).toBe(true);
    expect(tree.exists('specs/README.md')).toBe(false);
  });

  it('counts a plain string registration and keeps other plugins', async () => {
    tree.write('nx.json', JSON.stringify({ plugins: ['@nx/js', '@specthis/nx'] }));
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual(['@nx/js', '@specthis/nx']);
  });

  it('refuses a specsDir that conflicts with the registered one', async () => {
    await initGenerator(tree, {});
    await expect(initGenerator(tree, { specsDir: 'other' })).rejects.toThrow(/specs-dir-conflict[\s\S]*--specsDir=specs/);
    expect(plugins(tree)).toHaveLength(1);
  });

  it('refuses a specsDir outside the workspace', async () => {
    await expect(initGenerator(tree, { specsDir: '../specs' })).rejects.toThrow(/specsDir-path/);
  });

  it('creates nx.json when the workspace has none', async () => {
    tree.delete('nx.json');
    await initGenerator(tree, {});
    expect(plugins(tree)).toEqual([{ plugin: '@specthis/nx' }]);
  });

  it('writes README.md and AGENTS.md describing the format and the agent operations', async () => {
    await initGenerator(tree, { specsDir: 'docs/specs' });
    const readme = tree.read('docs/specs/README.md', 'utf-8')!;
    const agents = tree.read('docs/specs/AGENTS.md', 'utf-8')!;
    for (const text of ['documentation, not specs', 'depends_on', 'host_doc', 'section_label', '`script TBD`', '`script ready`', 'compute--<entry>', 'export--<entry>', 'nx run-many -t compute', 'nx affected -t compute', 'nx graph', '_lock.json', '_index.json', '_routing.json', '[a-z0-9][a-z0-9._-]*', '`docs/specs/`']) {
      expect(readme).toContain(text);
    }
    for (const text of ['## 1. Refresh memory at session start', '## 2. Audit', '## 3. Propose next steps', '## 4. Author the script for a `script TBD` entry', 'nx show projects', 'nx run <project>:compute--<entry>', 'nx g @specthis/nx:spec', 'nx run-many -t compute', 'docs/specs/_index.json']) {
      expect(agents).toContain(text);
    }
    expect(readme + agents).not.toContain('{{');
  });

  it('keeps an existing README.md or AGENTS.md, whatever its case', async () => {
    tree.write('specs/readme.md', 'ours\n');
    tree.write('specs/AGENTS.md', 'ours too\n');
    await initGenerator(tree, {});
    expect(tree.read('specs/readme.md', 'utf-8')).toBe('ours\n');
    expect(tree.children('specs')).not.toContain('README.md');
    expect(tree.read('specs/AGENTS.md', 'utf-8')).toBe('ours too\n');
    expect(info).toHaveBeenCalledWith('Kept the existing specs/readme.md.');
  });

  it('adds .specthis/ to .gitignore once, creating the file if needed', async () => {
    await initGenerator(tree, {});
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')!.split('\n').filter((l) => l === '.specthis/')).toHaveLength(1);
  });

  it('appends to a .gitignore without a final newline and respects an existing entry', async () => {
    tree.write('.gitignore', 'node_modules');
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\n# specthis: receipts, logs, local caches\n.specthis/\n');
    const other = createTreeWithEmptyWorkspace({ formatter: 'none' });
    other.write('.gitignore', 'dist\n/.specthis\n');
    await initGenerator(other, {});
    expect(other.read('.gitignore', 'utf-8')).toBe('dist\n/.specthis\n');
  });

  it('installs the three agents with agents: true, naming the specsDir in them', async () => {
    await initGenerator(tree, { agents: true, specsDir: 'docs/specs' });
    expect(tree.children('.claude/agents').sort()).toEqual(['experiment-runner.md', 'spec-auditor.md', 'spec-implementer.md']);
    expect(tree.read('.claude/agents/spec-auditor.md', 'utf-8')).toContain('nx run docs-specs:audit');
  });

  it('writes only through the Tree (so --dry-run writes nothing)', async () => {
    const cwd = process.cwd();
    const dir = mkdtempSync(path.join(tmpdir(), 'specthis-init-'));
    try {
      process.chdir(dir);
      await initGenerator(tree, { specsDir: 'specs' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(tree.listChanges().map((c) => c.path)).toEqual(expect.arrayContaining(['nx.json', 'specs/README.md', 'specs/AGENTS.md', '.gitignore']));
  });

  it('finds the templates from the source tree as it will from dist/', () => {
    const root = findPackageRoot();
    expect(require(path.join(root, 'package.json')).name).toBe('@specthis/nx');
    expect(findPackageRoot(path.join(root, 'dist', 'generators', 'init'))).toBe(root);
  });
});
