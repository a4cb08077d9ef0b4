import type { ExecutorContext } from '@nx/devkit';
import type { RunLogger } from '../../core/run/logger';
import { runEntry, type RunEntryOptions } from '../../core/run/run-entry';
import { withStatCacheAsync } from '../../core/hash/stat-cache';
import { abortOnSignals } from '../../core/process/signals';
import { reportSpec } from '../../core/run/spec-report';
import { loadWorkspace } from '../../core/workspace/load';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { workspaceOptions } from '../workspace-options';
import type { RunExecutorSchema } from './schema';

export type RunIo = Pick<RunEntryOptions, 'stdout' | 'stderr' | 'onSpawn'> & { log?: RunLogger };

/** `@specthis/nx:run`: one entry, or the diagnostics of one spec. The work happens in core/run. */
export default async function runExecutor(options: RunExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runWith(options, context, {});
}

export async function runWith(
  options: RunExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
  io: RunIo,
): Promise<{ success: boolean }> {
  const log = io.log ?? console;
  const hasEntry = typeof options.entry === 'string' && options.entry !== '';
  const hasSpec = typeof options.spec === 'string' && options.spec !== '';
  if (hasEntry === hasSpec) {
    log.error(
      `specthis: the run executor takes either "entry" (an entry name, e.g. { "entry": "fit-baseline" }) or "spec" (a spec file, e.g. { "spec": "specs/compute-wages.md" }); got ${JSON.stringify(options)}`,
    );
    return { success: false };
  }
  const workspace = workspaceOptions(context, (line) => log.error(line));
  if (!workspace) return { success: false };
  const stop = abortOnSignals();
  try {
    const model = loadWorkspace(context.root, workspace);
    if (hasSpec) return { success: reportSpec(model, options.spec!.replace(/\\/g, '/').replace(/^\.\//, ''), log) };
    const result = await withStatCacheAsync(context.root, () =>
      runEntry(context.root, model, options.entry!, { ...io, log, signal: stop.signal }),
    );
    return { success: result.success };
  } catch (error) {
    log.error(
      describeUnexpected(`the run of ${options.entry ?? options.spec}`, error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' }),
    );
    return { success: false };
  } finally {
    stop.dispose();
  }
}
