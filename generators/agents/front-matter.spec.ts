import { parse } from 'yaml';
import { AGENT_NAMES, renderAgent, type AgentName } from '../../core/scaffold/agents';

/** Claude Code's tool names; a misspelt one in `tools` silently leaves the agent without it. */
const KNOWN_TOOLS = [
  'Read',
  'Write',
  'Edit',
  'MultiEdit',
  'Grep',
  'Glob',
  'Bash',
  'LS',
  'WebFetch',
  'WebSearch',
  'TodoWrite',
  'NotebookEdit',
  'Task',
];
const WRITING_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

function frontMatter(name: AgentName): Record<string, unknown> {
  const text = renderAgent(name, { specsDir: 'specs', specsProject: 'specs' });
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) throw new Error(`${name}.md does not start with a YAML front matter block`);
  return parse(match[1]);
}

const tools = (name: AgentName) =>
  String(frontMatter(name).tools)
    .split(',')
    .map((t) => t.trim());

describe.each(AGENT_NAMES)('agent %s', (name) => {
  it('has a name equal to its file stem, in Claude Code form', () => {
    expect(frontMatter(name).name).toBe(name);
    expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('says when to use it', () => {
    const description = frontMatter(name).description;
    expect(typeof description).toBe('string');
    expect((description as string).trim().length).toBeGreaterThan(40);
  });

  it('lists only known Claude Code tools, comma-separated', () => {
    expect(typeof frontMatter(name).tools).toBe('string');
    for (const tool of tools(name)) expect(KNOWN_TOOLS).toContain(tool);
  });

  it('has no other front-matter keys than Claude Code reads', () => {
    for (const key of Object.keys(frontMatter(name))) expect(['name', 'description', 'tools', 'model']).toContain(key);
  });
});

describe('agent tools', () => {
  it('gives the auditor only read-only tools', () => {
    expect(tools('spec-auditor').sort()).toEqual(['Bash', 'Glob', 'Grep', 'Read']);
    for (const tool of WRITING_TOOLS) expect(tools('spec-auditor')).not.toContain(tool);
  });

  it('lets the implementer edit and write, and the runner only read and run', () => {
    expect(tools('spec-implementer').sort()).toEqual(['Bash', 'Edit', 'Glob', 'Grep', 'Read', 'Write']);
    expect(tools('experiment-runner').sort()).toEqual(['Bash', 'Glob', 'Grep', 'Read']);
  });
});
