import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { diagnostic } from './diagnostic';
import { isRuleId, RULES, type RuleId } from './rules';

const REPO = join(__dirname, '..', '..');
const README = readFileSync(join(REPO, 'templates', 'specs', 'README.md'), 'utf8');

/** Source files of the engine and its front ends, tests excluded. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (name === 'node_modules' || name === '__fixtures__') continue;
    if (statSync(abs).isDirectory()) out.push(...sources(abs));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(abs);
  }
  return out;
}

/**
 * Quoted words in rule position: `rule: 'x'`, and the kebab-case literals of
 * the rule families that helpers take as a RuleId argument (core/lock/parse.ts's
 * `fail`, the audit's `add`). The compiler checks RuleId too; this catches a
 * cast, and a rule named in a string the compiler cannot see.
 */
const FAMILIES =
  /'((?:spec|specs|front-matter|entry|depends-on|reads|lock|report|script|export|output|option|options|scope|routing|orphaned|stale|run|path|host|section|agent|certify|cache|slurm)-[a-z0-9-]+)'/g;
/** Kebab-case literals of those families that are not rule ids: component roles, agent names, option names, realization reason kinds. */
const NOT_RULES = new Set([
  'spec-shared',
  'entry-block',
  'spec-auditor',
  'spec-implementer',
  'export-outputs',
  'spec-text',
  'specs-dir',
  'script-tbd',
  'output-removed',
  'output-changed',
  'run-file',
  'cache-server',
]);

describe('the rule catalogue', () => {
  const files = ['core', 'plugin', 'executors', 'generators', 'cli'].flatMap((d) => sources(join(REPO, d)));

  it('registers every rule the code emits', () => {
    const unregistered: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const named = [...text.matchAll(/\brule: '([^']+)'/g), ...text.matchAll(FAMILIES)].map((m) => m[1]);
      for (const id of named) if (!isRuleId(id) && !NOT_RULES.has(id)) unregistered.push(`${relative(REPO, file)}: ${id}`);
    }
    expect(unregistered).toEqual([]);
  });

  it('documents every registered rule in the spec format README, with its severity', () => {
    const undocumented: string[] = [];
    for (const [id, rule] of Object.entries(RULES)) {
      const row = README.split('\n').find((l) => l.startsWith(`| <a id="${id}"></a>\`${id}\` |`));
      if (!row) undocumented.push(`${id}: no row`);
      else if (row.split('|')[2].trim().split(' ')[0] !== rule.severity) undocumented.push(`${id}: severity is ${rule.severity}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('documents no rule that does not exist', () => {
    const documented = [...README.matchAll(/<a id="([^"]+)"><\/a>`/g)].map((m) => m[1]);
    expect(documented.filter((id) => !isRuleId(id))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('refuses to build a diagnostic for an unregistered rule', () => {
    expect(() => diagnostic('spec', 'specs/x.md', { reason: 'x', rule: 'no-such-rule' as RuleId })).toThrow(/unregistered rule/);
  });

  it('gives each rule a one-line summary', () => {
    for (const rule of Object.values(RULES)) expect(rule.summary).toMatch(/^[^\n]{10,140}$/);
  });
});
