import { diagnostic, formatDiagnostic } from '../core/diagnostics/diagnostic';
import type { RuleId } from '../core/diagnostics/rules';
import { ENTRY_NAME } from '../core/spec/entries';

/**
 * Checks on names and paths given to the generators. Each refusal names the rule
 * and shows the right form, like the plugin's diagnostics, because the person
 * reading it is at a terminal and has no other context.
 */

/** The parser's entry-name pattern; spec stems follow it too so targets and files read alike. */
export const NAME_PATTERN = ENTRY_NAME;
export const NAME_RULE = 'lowercase `[a-z0-9][a-z0-9._-]*`, never containing `--`';

/** Spec stems the plugin skips as documentation or generated output, so a spec by that name would be silently ignored. */
const RESERVED_STEMS = ['readme', 'agents', 'claude', 'specs'];

export function refuse(reason: string, rule: RuleId, example: string, received: string): never {
  throw new Error(formatDiagnostic(diagnostic('options', '', { reason, rule, expected: example, received: JSON.stringify(received) })));
}

/** Entry names name targets (`compute--<entry>`), lock keys and cache keys; `--` is the target separator. */
export function checkEntryName(name: string): void {
  if (!NAME_PATTERN.test(name) || name.includes('--')) {
    refuse(`invalid entry name: entry names are ${NAME_RULE}`, 'entry-name', 'wages-2019 (e.g. --entryNames=wages-2019,wages-2020)', name);
  }
}

export function checkSpecName(name: string): void {
  if (!NAME_PATTERN.test(name) || name.includes('--')) {
    const reason = `invalid spec name: a spec name is the file stem, ${NAME_RULE}, without spaces or \`/\` (use --directory for sub-directories)`;
    refuse(reason, 'spec-name', 'compute-wages (written to <specsDir>/compute-wages.md)', name);
  }
  if (RESERVED_STEMS.includes(name)) {
    const reason = `invalid spec name: \`${name}\` is reserved (README.md, AGENTS.md and CLAUDE.md are documentation, specs.html is the dashboard)`;
    refuse(reason, 'spec-name', 'compute-wages', name);
  }
}

/**
 * Normalizes a workspace-relative POSIX path (`./a/b/` -> `a/b`) and refuses
 * absolute paths, `..`, backslashes and empty segments: every path the generators
 * write or record must stay inside the workspace and read the same on every OS.
 */
export function relativePath(value: string, option: string, example: string): string {
  const trimmed = value
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  const segments = trimmed.split('/');
  const bad =
    trimmed === '' ||
    trimmed.includes('\\') ||
    /^[A-Za-z]:/.test(trimmed) ||
    trimmed.startsWith('/') ||
    segments.some((s) => s === '' || s === '.' || s === '..' || /\s/.test(s));
  if (bad) {
    const reason = `invalid ${option}: use a relative POSIX path inside the workspace, without \`..\`, backslashes or whitespace`;
    refuse(reason, 'option-path', example, value);
  }
  return trimmed;
}

export { splitList } from '../core/scaffold/split-list';
