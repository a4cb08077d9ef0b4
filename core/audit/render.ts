import { canonicalJson } from '../fs/canonical-json';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import type { AuditResult, AuditRow } from './types';

const COLUMNS: [string, (r: AuditRow) => string][] = [
  ['entry', (r) => `\`${r.entry}\``],
  ['spec', (r) => `${r.spec}:${r.line}`],
  ['spec status', (r) => r.specStatus],
  ['script', (r) => r.script],
  ['contract', (r) => r.contract],
  ['output', (r) => r.output],
  ['output keys', (r) => r.outputKeys],
  ['export status', (r) => r.exportStatus],
  ['export script', (r) => r.exportScript],
  ['export outputs', (r) => r.exportOutputs],
  ['report routing', (r) => r.reportRouting],
  ['certification', (r) => r.certification],
  ['freshness', (r) => r.freshness],
  ['notes', (r) => r.notes.join('; ')],
];

/** The audit as Markdown: one table row per entry (docs/architecture.md, "Audit"), then the summary and every finding. */
export function renderMarkdown(result: AuditResult): string {
  const out: string[] = [`# specthis audit${result.scope ? ` of ${result.scope}/` : ''}`, ''];
  if (result.rows.length) {
    out.push(`| ${COLUMNS.map(([h]) => h).join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`);
    for (const row of result.rows) out.push(`| ${COLUMNS.map(([, cell]) => escapeCell(cell(row))).join(' | ')} |`);
  } else {
    out.push('No entries.');
  }
  const s = result.summary;
  const none = (n: number) => (n ? String(n) : 'none');
  out.push(
    '',
    '## Summary',
    '',
    `- ${s.entries} entr${s.entries === 1 ? 'y' : 'ies'} in ${result.specs.length} spec${result.specs.length === 1 ? '' : 's'}; ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`,
    `- script TBD: ${s.scriptTbd.length ? s.scriptTbd.map((e) => `\`${e}\``).join(', ') : 'none'}`,
    `- contract problems (scope creep, routing leak): ${none(s.contractProblems)}`,
    `- orphaned exports: ${none(s.orphanedExports)}; stale routings: ${none(s.staleRoutings)}`,
    `- front-matter violations: ${none(s.frontMatterViolations)}`,
  );
  if (result.findings.length) out.push('', '## Findings', '', '```text', ...result.findings.map((f) => formatDiagnostic(f)), '```');
  out.push('', result.exitCode ? 'Audit failed: fix the errors above.' : 'Audit passed.');
  return `${out.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The audit for machines (`--format json`): rows, findings, summary and exit code, keys sorted, stable bytes. */
export function renderJson(result: AuditResult): string {
  return canonicalJson(result);
}
