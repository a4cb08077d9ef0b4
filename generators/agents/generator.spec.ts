import { logger, readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { AGENT_NAMES } from '../../core/scaffold/agents';
import { agentsGenerator } from './generator';

const files = (tree: Tree) => tree.children('.claude/agents').sort();

describe('agents generator', () => {
  let tree: Tree;
  let info: jest.SpyInstance;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('writes the three agents by default', async () => {
    await agentsGenerator(tree, {});
    expect(files(tree)).toEqual(AGENT_NAMES.map((n) => `${n}.md`).sort());
  });

  it('writes only the agents named by --agent, comma-separated', async () => {
    await agentsGenerator(tree, { agent: 'spec-auditor, experiment-runner' });
    expect(files(tree)).toEqual(['experiment-runner.md', 'spec-auditor.md']);
  });

  it('refuses an unknown agent name and writes nothing', async () => {
    await expect(agentsGenerator(tree, { agent: 'spec-auditor,auditor' })).rejects.toThrow(/unknown agent "auditor"[\s\S]*agent-name/);
    expect(tree.exists('.claude')).toBe(false);
  });

  it('keeps an existing file and says so, and replaces it with --force', async () => {
    tree.write('.claude/agents/spec-auditor.md', 'ours\n');
    await agentsGenerator(tree, {});
    expect(tree.read('.claude/agents/spec-auditor.md', 'utf-8')).toBe('ours\n');
    expect(info).toHaveBeenCalledWith(expect.stringContaining('Kept the existing .claude/agents/spec-auditor.md'));
    expect(files(tree)).toHaveLength(3);
    await agentsGenerator(tree, { force: true, agent: 'spec-auditor' });
    expect(tree.read('.claude/agents/spec-auditor.md', 'utf-8')).toMatch(/^---\nname: spec-auditor\n/);
  });

  it('fills in the registered specsDir and the project that hosts the audit', async () => {
    const nxJson = readJson(tree, 'nx.json');
    tree.write('nx.json', JSON.stringify({ ...nxJson, plugins: [{ plugin: '@specthis/nx', options: { specsDir: './research/specs/' } }] }));
    await agentsGenerator(tree, {});
    const auditor = tree.read('.claude/agents/spec-auditor.md', 'utf-8')!;
    expect(auditor).toContain('`research/specs/`');
    expect(auditor).toContain('nx run research-specs:audit');
    for (const name of AGENT_NAMES) expect(tree.read(`.claude/agents/${name}.md`, 'utf-8')).not.toContain('{{');
  });
});
