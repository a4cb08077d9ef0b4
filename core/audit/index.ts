/**
 * The audit (docs/architecture.md, "Audit"), for the `audit` executor and the `specthis audit` CLI.
 *
 *     const model = loadWorkspace(root, options);
 *     const run = runAudit(root, model, { scope });      // rows, findings, exit code
 *     print(renderMarkdown(run.result));                 // or renderJson(run.result)
 *     if (!scope) writeGeneratedFiles(root, model, run); // _index.json, _routing.json
 *     process.exitCode = run.result.exitCode;
 *
 * or all of it at once, as the executor and the CLI do, with `auditCommand`.
 */
export { runAudit, normalizeScope, type AuditOptions, type AuditRun } from './audit';
export { certificationReader, type CertificationCell, type CertificationState } from './certification-cell';
export { buildIndex } from './index-json';
export { buildRouting } from './routing-json';
export { renderJson, renderMarkdown } from './render';
export { generatedFiles, writeGeneratedFiles, INDEX_FILE, ROUTING_FILE } from './write';
export type { AuditResult, AuditRow, AuditSummary, Check, Finding } from './types';

export { auditCommand, type AuditFormat, type AuditRequest, type AuditStreams } from './command';
