import { RULES, ruleAnchor, type RuleId } from './rules';

export type Severity = 'error' | 'warning';

/** Which part of the engine found the problem (vfile-message's `source`). */
export type DiagnosticSource = 'spec' | 'workspace' | 'lock' | 'audit' | 'run' | 'options';

/**
 * The one problem shape of the engine, after vfile-message: a place, what is
 * wrong, the rule, the right form, what was there, and what to do. The parser,
 * the workspace analysis, the lock, the audit, the run and the page all speak
 * it; `formatDiagnostic` is the one terminal form and `diagnosticJson` the one
 * machine form.
 */
export interface Diagnostic {
  /** Workspace-relative path of the file the problem is about; empty for a command's options. */
  file: string;
  /** 1-based line; 0 when the problem is about the file as a whole. */
  line: number;
  /** 1-based column, when known. */
  column?: number;
  severity: Severity;
  /** What is wrong, in one sentence. */
  reason: string;
  /** The rule broken (core/diagnostics/rules.ts). */
  rule: RuleId;
  source: DiagnosticSource;
  /** An example of the right form. */
  expected?: string;
  /** What was there, shortened. */
  received?: string;
  /** What to do about it, when that is more than "write the expected form". */
  note?: string;
  /** The spec the problem belongs to (the audit's scope, the page's grouping); the file itself for a spec. */
  spec?: string;
  /** The entry it is about, when it is about one. */
  entry?: string;
}

export interface DiagnosticInit {
  line?: number;
  column?: number;
  /** Default: the rule's severity in core/diagnostics/rules.ts. */
  severity?: Severity;
  reason: string;
  rule: RuleId;
  expected?: string;
  received?: string;
  note?: string;
  spec?: string;
  entry?: string;
}

const MAX_RECEIVED = 120;

/** Shortens received input so a 10 MB line never ends up in a terminal. */
export function shorten(text: string, max = MAX_RECEIVED): string {
  const oneLine = text.replace(/\r?\n/g, '\\n');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function diagnostic(source: DiagnosticSource, file: string, init: DiagnosticInit): Diagnostic {
  const rule = RULES[init.rule];
  if (!rule) throw new Error(`specthis: diagnostic with unregistered rule ${JSON.stringify(init.rule)} (core/diagnostics/rules.ts)`);
  const d: Diagnostic = {
    file,
    line: init.line ?? 0,
    severity: init.severity ?? rule.severity,
    reason: init.reason,
    rule: init.rule,
    source,
  };
  if (init.column !== undefined) d.column = init.column;
  if (init.expected !== undefined) d.expected = init.expected;
  if (init.received !== undefined) d.received = shorten(init.received);
  if (init.note !== undefined) d.note = init.note;
  if (init.spec !== undefined) d.spec = init.spec;
  if (init.entry !== undefined) d.entry = init.entry;
  return d;
}

export interface FormatOptions {
  /** The specs directory, for the documentation link (`<specsDir>/README.md#<rule>`). Default `specs`. */
  specsDir?: string;
}

/** Where a rule is documented in the workspace: `init` writes the format's README into the specs directory. */
export function ruleDocs(rule: RuleId, specsDir = 'specs'): string {
  return `${specsDir === '.' || specsDir === '' ? '' : `${specsDir}/`}README.md#${ruleAnchor(rule)}`;
}

/**
 * `file:line:column: severity: reason [rule]`, then the right form, what was
 * received and what to do, one labelled line each (continuation lines
 * indented under their label), then where the rule is documented.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const place = d.line > 0 ? `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}` : d.file;
  // A problem with a command's options has no file: it starts with what is wrong.
  const lines = [place ? `${place}: ${d.severity}: ${d.reason} [${d.rule}]` : `${d.reason} [${d.rule}]`];
  const labelled = (label: string, text: string) =>
    lines.push(...text.split('\n').map((l, i) => (i === 0 ? `  ${label}: ${l}` : `${' '.repeat(label.length + 4)}${l}`)));
  if (d.expected) labelled('expected', d.expected);
  if (d.received !== undefined) labelled('received', d.received);
  if (d.note) labelled('note', d.note);
  lines.push(`  docs: ${ruleDocs(d.rule, options.specsDir)}`);
  return lines.join('\n');
}

/** The machine form: every field, the documentation link resolved, keys sorted by the caller's canonical JSON. */
export function diagnosticJson(d: Diagnostic, options: FormatOptions = {}): Diagnostic & { docs: string } {
  return { ...d, docs: ruleDocs(d.rule, options.specsDir) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** By file, line, column, rule, entry, reason: the same problems always print in the same order. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    cmp(a.rule, b.rule) ||
    cmp(a.entry ?? '', b.entry ?? '') ||
    cmp(a.reason, b.reason)
  );
}

/** `3 errors` / `1 error`. */
export function countErrors(diagnostics: readonly Diagnostic[]): string {
  const n = diagnostics.filter((d) => d.severity === 'error').length;
  return `${n} error${n === 1 ? '' : 's'}`;
}
