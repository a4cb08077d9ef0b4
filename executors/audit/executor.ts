import type { ExecutorContext } from '@nx/devkit';
import { normalizeScope, renderJson, renderMarkdown, runAudit, writeGeneratedFiles } from '../../core/audit';
import { loadWorkspace } from '../../core/workspace/load';
import { pluginOptions } from '../run/plugin-options';
import type { AuditExecutorSchema } from './schema';

/** Where the audit goes: the report on `out` (pure JSON with `--format json`), everything else on `err`. */
export interface AuditIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STD_IO: AuditIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** `@specthis/nx:audit`: the audit of DESIGN.md §6, over core/audit. Never cached: it reads the whole working tree. */
export default async function auditExecutor(options: AuditExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return auditWith(options, context, STD_IO);
}

export function auditWith(
  options: AuditExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
  io: AuditIo,
): { success: boolean } {
  const format = options.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') {
    io.err(`specthis: audit format is "markdown" or "json", got ${JSON.stringify(options.format)}\n`);
    return { success: false };
  }
  try {
    const model = loadWorkspace(context.root, pluginOptions(context.nxJsonConfiguration));
    const scope = normalizeScope(options.scope);
    const run = runAudit(context.root, model, { scope });
    if (scope && !run.result.specs.length) {
      const dirs = [...new Set(model.specs.map((s) => s.file.replace(/\/[^/]*$/, '')))].sort();
      io.err(
        `specthis: no specs directly in ${scope}/; scope is a spec directory (${dirs.slice(0, 5).join(', ') || `under ${model.options.specsDir}/`}), or empty for the whole workspace\n`,
      );
      return { success: false };
    }
    io.out(format === 'json' ? renderJson(run.result) : renderMarkdown(run.result));
    if (!scope) io.err(`specthis: wrote ${writeGeneratedFiles(context.root, model, run).join(', ')}\n`);
    return { success: run.result.exitCode === 0 };
  } catch (error) {
    io.err(`specthis: the audit failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { success: false };
  }
}
