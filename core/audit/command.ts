import type { SpecthisOptions } from '../workspace/types';
import { loadWorkspace } from '../workspace/load';
import { normalizeScope, runAudit } from './audit';
import { renderJson, renderMarkdown } from './render';
import { writeGeneratedFiles } from './write';

export type AuditFormat = 'markdown' | 'json';

export interface AuditRequest {
  /** A spec directory (workspace-relative): audit the specs directly in it. Empty: the whole workspace. */
  scope?: string;
  format?: string;
  /** Write `_index.json` and `_routing.json` (whole-workspace audits only). Default true. */
  write?: boolean;
}

export interface AuditStreams {
  /** The report: the Markdown table, or pure JSON with `format: 'json'`. */
  out(text: string): void;
  /** Everything else: what was written, why the request was refused. */
  err(text: string): void;
}

/**
 * The audit as a command, for the `audit` executor and `specthis audit` alike:
 * the same checks of the request, the same streams, the same scope option.
 * `usage` when the request is wrong (an unknown format, a scope with no spec),
 * else the audit's own exit code (1 when any finding is an error).
 */
export function auditCommand(
  root: string,
  options: SpecthisOptions,
  request: AuditRequest,
  io: AuditStreams,
): { exitCode: 0 | 1; usage?: true } {
  const format = request.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') {
    io.err(`specthis audit: the format is markdown or json, got ${JSON.stringify(request.format)}\n`);
    return { exitCode: 1, usage: true };
  }
  const model = loadWorkspace(root, options);
  const scope = normalizeScope(request.scope);
  const run = runAudit(root, model, { scope });
  if (scope && !run.result.specs.length) {
    const dirs = [...new Set(model.specs.map((s) => s.file.replace(/\/[^/]*$/, '')))].sort();
    io.err(
      `specthis audit: no specs directly in ${scope}/; the scope is a spec directory (${dirs.slice(0, 5).join(', ') || `under ${model.options.specsDir}/`}), or empty for the whole workspace\n`,
    );
    return { exitCode: 1, usage: true };
  }
  io.out(format === 'json' ? renderJson(run.result) : renderMarkdown(run.result));
  if (!scope && request.write !== false) io.err(`specthis: wrote ${writeGeneratedFiles(root, model, run).join(', ')}\n`);
  return { exitCode: run.result.exitCode };
}
