import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../exit';
import { runCli } from '../test-io';

describe('specthis init and install', () => {
  let root: string;
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-cli-init-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('init writes the specs docs and the .gitignore line once, and registers the plugin in an existing nx.json', async () => {
    writeFileSync(join(root, 'nx.json'), '{\n  // comments are fine\n  "plugins": ["@nx/js"]\n}\n');
    const first = await runCli(root, 'init', '--specs-dir', 'research/specs');
    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toContain('created     research/specs/README.md');
    expect(first.stdout).toContain('updated     nx.json');
    expect(JSON.parse(read('nx.json')).plugins).toEqual(['@nx/js', { plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }]);
    expect(read('research/specs/AGENTS.md')).toContain('research/specs/_index.json');
    const again = await runCli(root, 'init');
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain('kept        research/specs/README.md (already there)');
    expect(read('.gitignore').match(/^\.specthis\/$/gm)).toHaveLength(1);
  });

  it('init finds the workspace root from a sub-directory and refuses a conflicting specs dir', async () => {
    writeFileSync(join(root, 'nx.json'), JSON.stringify({ plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'docs/specs' } }] }));
    mkdirSync(join(root, 'scripts'));
    expect((await runCli(join(root, 'scripts'), 'init')).code).toBe(EXIT.ok);
    expect(existsSync(join(root, 'docs/specs/README.md'))).toBe(true);
    const conflict = await runCli(root, 'init', '--specs-dir', 'specs');
    expect(conflict.code).toBe(EXIT.usage);
    expect(conflict.stderr).toContain('registered in nx.json with specsDir `docs/specs`');
  });

  it('init without nx.json writes the docs and says the plugin is not registered', async () => {
    const r = await runCli(root, 'init');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('no nx.json here');
    expect(existsSync(join(root, 'nx.json'))).toBe(false);
    expect(existsSync(join(root, 'specs/README.md'))).toBe(true);
  });

  it('an unparsable nx.json is a workspace error, exit 3, and nothing is written', async () => {
    writeFileSync(join(root, 'nx.json'), '{ "plugins": [');
    const r = await runCli(root, 'init');
    expect(r.code).toBe(EXIT.workspace);
    expect(r.stderr).toMatch(/nx\.json.*not valid JSON/);
    expect(readdirSync(root)).toEqual(['nx.json']);
  });

  it('install writes the three agents, keeps existing ones unless --force, and honours --agent', async () => {
    writeFileSync(
      join(root, 'nx.json'),
      JSON.stringify({ plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }] }),
    );
    const one = await runCli(root, 'install', '--agent', 'spec-auditor');
    expect(one.code).toBe(EXIT.ok);
    expect(readdirSync(join(root, '.claude/agents'))).toEqual(['spec-auditor.md']);
    expect(read('.claude/agents/spec-auditor.md')).toContain('nx run research-specs:audit');
    writeFileSync(join(root, '.claude/agents/spec-auditor.md'), 'ours\n');
    const all = await runCli(root, 'install');
    expect(all.stdout).toContain('kept        .claude/agents/spec-auditor.md (already there; --force replaces it)');
    expect(readdirSync(join(root, '.claude/agents')).sort()).toEqual(['experiment-runner.md', 'spec-auditor.md', 'spec-implementer.md']);
    expect(read('.claude/agents/spec-auditor.md')).toBe('ours\n');
    const forced = await runCli(root, 'install', '--force', '--agent=spec-auditor');
    expect(forced.stdout).toContain('overwritten .claude/agents/spec-auditor.md');
    expect(read('.claude/agents/spec-auditor.md')).toMatch(/^---\nname: spec-auditor\n/);
  });
});
