/**
 * The audit (DESIGN.md §6), for the `audit` executor and the `specthis audit` CLI.
 *
 *     const model = loadWorkspace(root, options);
 *     const run = runAudit(root, model, { scope });      // rows, findings, exit code
 *     print(renderMarkdown(run.result));                 // or renderJson(run.result)
 *     if (!scope) writeGeneratedFiles(root, model, run); // _index.json, _routing.json
 *     process.exitCode = run.result.exitCode;
 *
 * or all of it at once with `auditWorkspace`.
 */
import type { SpecthisOptions } from '../workspace/types';
import { loadWorkspace } from '../workspace/load';
import { runAudit, type AuditRun } from './audit';
import { renderJson, renderMarkdown } from './render';
import { writeGeneratedFiles } from './write';

export { runAudit, normalizeScope, type AuditOptions, type AuditRun } from './audit';
export { certificationReader, type CertificationCell, type CertificationState } from './certification';
export { buildIndex } from './index-json';
export { buildRouting } from './routing-json';
export { renderJson, renderMarkdown } from './render';
export { generatedFiles, writeGeneratedFiles, INDEX_FILE, ROUTING_FILE } from './write';
export type { AuditResult, AuditRow, AuditSummary, Check, Finding } from './types';

export type AuditFormat = 'markdown' | 'json';

export interface AuditWorkspaceOptions {
  scope?: string;
  format?: AuditFormat;
  /** Write `_index.json` and `_routing.json` (whole-workspace audits only). Default true. */
  write?: boolean;
}

/** Loads the workspace, audits it, renders the report, and writes the generated files when the audit covers the whole workspace. */
export function auditWorkspace(
  root: string,
  options: Partial<SpecthisOptions> | undefined,
  how: AuditWorkspaceOptions = {},
): { text: string; exitCode: 0 | 1; written: string[]; run: AuditRun } {
  const model = loadWorkspace(root, options);
  const run = runAudit(root, model, { scope: how.scope });
  const text = how.format === 'json' ? renderJson(run.result) : renderMarkdown(run.result);
  const written = how.write !== false && !run.result.scope ? writeGeneratedFiles(root, model, run) : [];
  return { text, exitCode: run.result.exitCode, written, run };
}
