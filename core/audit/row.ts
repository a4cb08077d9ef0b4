import type { EntryChecks } from './entry-checks';
import type { EntryFacts } from './facts';
import type { AuditRow, Check, Finding } from './types';

const CONTRACT_RULES = new Set(['scope-creep', 'routing-leak']);

/**
 * One table row from what was found about an entry. `contractFindings` are
 * the spec's scope-creep and routing-leak findings that concern the entry (its
 * own, and spec-wide ones without an entry).
 */
export function buildRow(
  facts: EntryFacts,
  checks: EntryChecks,
  contractFindings: readonly Finding[],
  routing: { check: Check; notes: string[] } | undefined,
): AuditRow {
  const { entry, spec } = facts;
  const compute = entry.family === 'compute';
  const status = entry.status ?? '—';
  const contract = contractFindings.filter((f) => CONTRACT_RULES.has(f.rule) && (f.entry === undefined || f.entry === entry.name));
  const notes = [...checks.notes];
  for (const f of contract) notes.push(`${f.rule} (line ${f.line})`);
  if (routing) notes.push(...routing.notes);
  if (facts.realization === 'blocked') notes.push('spec has errors');
  return {
    entry: entry.name,
    family: entry.family,
    kind: spec.kind!,
    spec: spec.file,
    line: entry.line,
    specStatus: compute ? status : '—',
    script: compute ? checks.script : '—',
    contract: contract.length ? '✗' : '✓',
    output: checks.output,
    outputKeys: checks.outputKeys,
    exportStatus: compute ? '—' : status,
    exportScript: compute ? '—' : checks.script,
    exportOutputs: checks.exportOutputs,
    reportRouting: spec.kind === 'report' ? (routing?.check ?? '—') : '—',
    certification: facts.certification,
    freshness: facts.realization,
    notes,
  };
}
