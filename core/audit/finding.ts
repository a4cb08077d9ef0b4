import type { Diagnostic } from '../spec/types';
import type { Finding } from './types';

/**
 * Parser rules the audit treats as errors although the parser only warns:
 * the targets are still right (so the parser lets them through), but the
 * format says the name *must* be the stem, and the audit is the conformance check.
 */
const ESCALATED = new Set(['front-matter-name']);

/** A spec's parse (or workspace) diagnostic as an audit finding: same place, rule and right form. */
export function fromDiagnostic(spec: string, d: Diagnostic): Finding {
  const message = d.received !== undefined && !d.reason.includes(d.received) ? `${d.reason} (got: ${d.received})` : d.reason;
  return {
    file: d.file,
    line: d.line,
    severity: ESCALATED.has(d.rule) ? 'error' : d.severity,
    rule: d.rule,
    message,
    ...(d.expected !== undefined ? { expected: d.expected } : {}),
    spec,
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.line - b.line || cmp(a.rule, b.rule) || cmp(a.entry ?? '', b.entry ?? '') || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `file:line: severity: message [rule]` and the right form, like core/spec's formatDiagnostic. */
export function formatFinding(f: Finding): string {
  const place = f.line > 0 ? `${f.file}:${f.line}` : f.file;
  const lines = [`${place}: ${f.severity}: ${f.message} [${f.rule}]`];
  if (f.expected) lines.push(...f.expected.split('\n').map((l, i) => (i === 0 ? `  expected: ${l}` : `            ${l}`)));
  return lines.join('\n');
}
