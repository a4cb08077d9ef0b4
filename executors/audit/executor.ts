import type { ExecutorContext } from '@nx/devkit';
import { auditCommand, type AuditStreams } from '../../core/audit';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { workspaceOptions } from '../workspace-options';
import type { AuditExecutorSchema } from './schema';

const STD_IO: AuditStreams = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** `@specthis/nx:audit`: core/audit's `auditCommand`, as `specthis audit` runs it. Never cached: it reads the whole working tree. */
export default async function auditExecutor(options: AuditExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return auditWith(options, context, STD_IO);
}

export function auditWith(
  options: AuditExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
  io: AuditStreams,
): { success: boolean } {
  const workspace = workspaceOptions(context, (line) => io.err(`${line}\n`));
  if (!workspace) return { success: false };
  try {
    return { success: auditCommand(context.root, workspace, options, io).exitCode === 0 };
  } catch (error) {
    io.err(`${describeUnexpected('the audit', error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' })}\n`);
    return { success: false };
  }
}
