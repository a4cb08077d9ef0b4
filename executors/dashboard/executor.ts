import type { ExecutorContext } from '@nx/devkit';
import { buildDashboard, writeDashboard } from '../../core/dashboard';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { workspaceOptions } from '../workspace-options';
import type { DashboardExecutorSchema } from './schema';

export interface DashboardIo {
  err: (text: string) => void;
}

const STD_IO: DashboardIo = { err: (t) => process.stderr.write(t) };

/**
 * `@specthis/nx:dashboard`: writes `<specsDir>/specs.html` (docs/architecture.md, "Dashboard") with
 * `_index.json` and `_routing.json`. Succeeds whatever the specs say: the page
 * is how a person sees what is wrong, and the audit target is the gate.
 */
export default async function dashboardExecutor(options: DashboardExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return dashboardWith(options, context, STD_IO);
}

export function dashboardWith(
  _options: DashboardExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
  io: DashboardIo,
): { success: boolean } {
  const workspace = workspaceOptions(context, (line) => io.err(`${line}\n`));
  if (!workspace) return { success: false };
  try {
    const build = buildDashboard(context.root, workspace);
    io.err(`specthis: wrote ${writeDashboard(context.root, build).join(', ')}\n`);
    return { success: true };
  } catch (error) {
    // A file system refusal (a file where a directory must be, no permission) is the workspace's, and its message names the path.
    const code = (error as NodeJS.ErrnoException).code;
    io.err(
      `${code ? `specthis: the dashboard could not be written: ${(error as Error).message}` : describeUnexpected('the dashboard', error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' })}\n`,
    );
    return { success: false };
  }
}
