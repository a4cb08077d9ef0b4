import type { ExecutorContext } from '@nx/devkit';
import { buildDashboard, writeDashboard } from '../../core/dashboard';
import { pluginOptions } from '../run/plugin-options';
import type { DashboardExecutorSchema } from './schema';

export interface DashboardIo {
  err: (text: string) => void;
}

const STD_IO: DashboardIo = { err: (t) => process.stderr.write(t) };

/**
 * `@specthis/nx:dashboard`: writes `<specsDir>/specs.html` (DESIGN.md §7) with
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
  try {
    const build = buildDashboard(context.root, pluginOptions(context.nxJsonConfiguration));
    io.err(`specthis: wrote ${writeDashboard(context.root, build).join(', ')}\n`);
    return { success: true };
  } catch (error) {
    io.err(`specthis: the dashboard could not be written: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { success: false };
  }
}
