import { readdirSync } from 'node:fs';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(900_000);

const ENTRIES = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];
const AGENTS = ['experiment-runner.md', 'spec-auditor.md', 'spec-implementer.md'];

/** The packed package's `specthis` bin, run from the workspace root like an agent would. */
const specthis = (ws: TestWorkspace, ...args: string[]) => ws.exec(ws.path('node_modules', '.bin', 'specthis'), args);
const agentFiles = (ws: TestWorkspace) => (ws.exists('.claude/agents') ? readdirSync(ws.path('.claude/agents')).sort() : []);

describe('specthis CLI from the packed package', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('cli');
  });

  it('status --json lists every entry as missing before a run, and fresh after nx computes them', () => {
    const states = () => {
      const r = specthis(ws, 'status', '--json');
      if (r.code !== 0) throw new Error(`specthis status exited ${r.code}\n${r.output}`);
      const doc = JSON.parse(r.stdout) as {
        entries: { entry: string; realization: { state: string }; certification: { state: string } }[];
      };
      return Object.fromEntries(doc.entries.map((e) => [e.entry, `${e.certification.state} / ${e.realization.state}`]));
    };
    expect(states()).toEqual(Object.fromEntries(ENTRIES.map((e) => [e, 'unbound / missing'])));
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    expect(states()).toEqual(Object.fromEntries(ENTRIES.map((e) => [e, 'unbound / fresh'])));
  });

  it('run computes what is stale without Nx, and nx then runs no script', () => {
    const fresh = TestWorkspace.fromExample('cli-run');
    const first = specthis(fresh, 'run', '--parallel', '2');
    expect(first.code).toBe(0);
    for (const e of ENTRIES) expect(first.stdout).toContain(`specthis: running ${e} (missing:`);
    expect(first.stdout.trimEnd().split('\n').pop()).toBe('specthis run: 4 entries: 4 ran');
    const runs = (e: string) => (fresh.exists(`.specthis/logs/${e}.log`) ? fresh.read(`.specthis/logs/${e}.log`) : '');
    const logs = Object.fromEntries(ENTRIES.map((e) => [e, runs(e)]));
    const nx = fresh.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static').output;
    for (const e of ENTRIES) expect(nx).toMatch(new RegExp(`specthis: ${e} is fresh`));
    expect(Object.fromEntries(ENTRIES.map((e) => [e, runs(e)]))).toEqual(logs);
    expect(specthis(fresh, 'run').stdout).toBe('specthis run: 4 entries: 4 fresh\n');
  });

  it('--help documents the commands and exit codes; a usage error exits 2', () => {
    const help = specthis(ws, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*2 {2}usage error/);
    expect(specthis(ws, 'status', '--nope').code).toBe(2);
  });

  it('install writes the three agents', () => {
    const r = specthis(ws, 'install');
    expect(r.code).toBe(0);
    expect(agentFiles(ws)).toEqual(AGENTS);
    expect(ws.read('.claude/agents/spec-auditor.md')).toMatch(/^---\nname: spec-auditor\n[\s\S]*nx run specs:audit/);
  });
});

describe('nx g @specthis/nx:agents', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('cli-agents');
  });

  it('--dry-run writes nothing', () => {
    const out = ws.nxOk('g', '@specthis/nx:agents', '--dry-run').output;
    expect(out).toMatch(/CREATE \.claude\/agents\/spec-auditor\.md/);
    expect(ws.exists('.claude')).toBe(false);
  });

  it('--agent spec-auditor writes only that one', () => {
    ws.nxOk('g', '@specthis/nx:agents', '--agent=spec-auditor');
    expect(agentFiles(ws)).toEqual(['spec-auditor.md']);
  });

  it('keeps an existing file without --force, and replaces it with --force', () => {
    ws.write('.claude/agents/spec-auditor.md', 'our own auditor\n');
    const out = ws.nxOk('g', '@specthis/nx:agents').output;
    expect(out).toContain('Kept the existing .claude/agents/spec-auditor.md');
    expect(ws.read('.claude/agents/spec-auditor.md')).toBe('our own auditor\n');
    expect(agentFiles(ws)).toEqual(AGENTS);
    ws.nxOk('g', '@specthis/nx:agents', '--agent=spec-auditor', '--force');
    expect(ws.read('.claude/agents/spec-auditor.md')).toMatch(/^---\nname: spec-auditor\n/);
  });
});
