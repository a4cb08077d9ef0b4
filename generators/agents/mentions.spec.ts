import { AGENT_NAMES, renderAgent } from '../../core/scaffold/agents';
import { readTemplate } from '../../core/package';
import { COMMAND_NAMES } from '../../cli/commands';

/**
 * Every command the agent files and the specs docs tell an agent to run must
 * exist: an agent that follows a stale instruction fails in a user's session,
 * far from this repository.
 */
const DOCS: Record<string, string> = {
  ...Object.fromEntries(AGENT_NAMES.map((n) => [`agents/${n}.md`, renderAgent(n, { specsDir: 'specs', specsProject: 'specs' })])),
  'specs/AGENTS.md': readTemplate(['specs', 'AGENTS.md'], { specsDir: 'specs' }),
  'specs/README.md': readTemplate(['specs', 'README.md'], { specsDir: 'specs' }),
};

/** Text an agent would run: inline code spans and the lines of fenced blocks, without shell comments. */
function commandsIn(text: string): string[] {
  const fenced = [...text.matchAll(/^ *```[^\n]*\n([\s\S]*?)^ *```/gm)].flatMap((m) => m[1].split('\n'));
  const inline = [...text.replace(/^ *```[^\n]*\n[\s\S]*?^ *```/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline].map((c) => c.replace(/\s#.*$/, '').trim()).filter(Boolean);
}

function mentions(pattern: RegExp): { doc: string; command: string; match: RegExpMatchArray }[] {
  return Object.entries(DOCS).flatMap(([doc, text]) =>
    commandsIn(text).flatMap((command) => [...command.matchAll(pattern)].map((match) => ({ doc, command, match }))),
  );
}

const generators = Object.keys(require('../../generators.json').generators);
const TARGETS = /^(compute--|export--)<?[a-z]|^(compute|export|audit)$/;

/** `doc: command` for every mention that fails `ok`, so a failure names the line to fix. */
function unknown(pattern: RegExp, ok: (match: RegExpMatchArray) => boolean, atLeast: number): string[] {
  const found = mentions(pattern);
  expect(found.length).toBeGreaterThanOrEqual(atLeast);
  return found.filter((f) => !ok(f.match)).map((f) => `${f.doc}: ${f.command}`);
}

describe('commands named in the agent files and the specs docs', () => {
  it('nx g @specthis/nx:<generator> names a generator of generators.json', () => {
    expect(unknown(/nx g @specthis\/nx:([\w-]+)/g, (m) => generators.includes(m[1]), 4)).toEqual([]);
  });

  it('npx specthis <command> names a CLI command (and lock a lock action)', () => {
    const known = (m: RegExpMatchArray) =>
      COMMAND_NAMES.includes(m[1]) && (m[1] !== 'lock' || ['status', 'record', 'clear'].includes(m[2]));
    expect(unknown(/npx specthis ([\w-]+)(?: (\w+))?/g, known, 6)).toEqual([]);
  });

  it('nx run <project>:<target> names a target family the plugin creates', () => {
    expect(unknown(/nx run ([\w<>.-]+):([\w<>.-]+)/g, (m) => TARGETS.test(m[2]), 6)).toEqual([]);
  });

  it('nx run-many / nx affected -t <targets> name targets every project has', () => {
    const known = (m: RegExpMatchArray) => m[1].split(/[ ,]/).every((t) => ['compute', 'export', 'audit'].includes(t));
    expect(unknown(/nx (?:run-many|affected) (?:-t|--targets?)[ =]([\w,-]+(?: (?!-)[\w-]+)*)/g, known, 4)).toEqual([]);
  });
});
