import type { Diagnostic, Severity } from './types';

export interface DiagnosticInit {
  line?: number;
  severity?: Severity;
  reason: string;
  rule: string;
  expected?: string;
  received?: string;
}

const MAX_RECEIVED = 120;

/** Shortens received input so a 10 MB line never ends up in a terminal. */
export function shorten(text: string, max = MAX_RECEIVED): string {
  const oneLine = text.replace(/\r?\n/g, '\\n');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function diagnostic(file: string, init: DiagnosticInit): Diagnostic {
  const d: Diagnostic = {
    file,
    line: init.line ?? 0,
    severity: init.severity ?? 'error',
    reason: init.reason,
    rule: init.rule,
  };
  if (init.expected !== undefined) d.expected = init.expected;
  if (init.received !== undefined) d.received = shorten(init.received);
  return d;
}

/**
 * `file:line: severity: reason [rule]`, then the right form and what was received,
 * in the style of @changesets/parse: what failed, the rule, an example, the input.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line > 0 ? `${d.file}:${d.line}` : d.file;
  const lines = [`${place}: ${d.severity}: ${d.reason} [${d.rule}]`];
  if (d.expected) lines.push(...d.expected.split('\n').map((l, i) => (i === 0 ? `  expected: ${l}` : `            ${l}`)));
  if (d.received !== undefined) lines.push(`  received: ${d.received}`);
  return lines.join('\n');
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.rule.localeCompare(b.rule);
}
