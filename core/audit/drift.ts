import type { EntryFacts } from './facts';
import type { Finding } from './types';

/**
 * `spec audit needed`: someone certified this entry, and since then its spec
 * text, script or workflow files moved. The entry refuses to run until it is
 * checked again, so the audit says which inputs moved and how to re-certify. A
 * warning: the tree may well still conform; nobody has checked yet.
 */
export function driftFindings(facts: EntryFacts): Finding[] {
  if (facts.certification !== 'spec audit needed') return [];
  const { spec, entry } = facts;
  return [
    {
      file: spec.file,
      line: entry.line,
      severity: 'warning',
      rule: 'spec-audit-needed',
      source: 'audit',
      reason: `entry "${entry.name}" was certified, but ${facts.certificationDetail}`,
      expected: `check the entry against its spec, then re-certify: nx g @specthis/nx:certify ${entry.name}`,
      spec: spec.file,
      entry: entry.name,
    },
  ];
}
