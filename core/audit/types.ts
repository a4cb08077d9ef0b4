import type { RealizationState } from '../state/realization';
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { EntryFamily, ScriptStatus, SpecKind } from '../spec/types';
import type { CertificationCell } from './certification-cell';

/**
 * One thing the audit found: a diagnostic (core/diagnostics/diagnostic.ts)
 * that always says which spec it belongs to (for `scope` and the table's
 * notes). Errors fail the audit; warnings are reported and do not
 * (docs/decisions.md, "Audit").
 */
export type Finding = Diagnostic & { spec: string };

/** A table cell: passed, failed, or does not apply / cannot tell yet. */
export type Check = '✓' | '✗' | '—';

/** One row of the audit table (docs/architecture.md, "Audit"), one per entry. */
export interface AuditRow {
  entry: string;
  family: EntryFamily;
  kind: SpecKind;
  spec: string;
  line: number;
  /** `Status:` of a compute entry; `—` for export entries. */
  specStatus: ScriptStatus | '—';
  script: Check;
  contract: Check;
  output: Check;
  outputKeys: Check;
  /** `Status:` of a report or figure entry; `—` for compute entries. */
  exportStatus: ScriptStatus | '—';
  exportScript: Check;
  exportOutputs: Check;
  reportRouting: Check;
  certification: CertificationCell;
  /** Realization state from core/state, or `blocked` when the spec has errors and the entry cannot run. */
  freshness: RealizationState | 'blocked';
  notes: string[];
}

export interface AuditSummary {
  entries: number;
  errors: number;
  warnings: number;
  scriptTbd: string[];
  contractProblems: number;
  orphanedExports: number;
  staleRoutings: number;
  frontMatterViolations: number;
}

export interface AuditResult {
  /** Empty for the whole workspace, else the spec directory audited. */
  scope: string;
  /** Spec files audited. */
  specs: string[];
  rows: AuditRow[];
  /** Sorted by file, line, rule. */
  findings: Finding[];
  summary: AuditSummary;
  /** 1 when any finding is an error, else 0. */
  exitCode: 0 | 1;
}
