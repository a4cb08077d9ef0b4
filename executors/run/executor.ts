import type { ExecutorContext } from '@nx/devkit';
import type { RunLogger } from '../../core/run/logger';
import { runEntry, type RunEntryOptions } from '../../core/run/run-entry';
import { withStatCacheAsync } from '../../core/hash/stat-cache';
import { abortOnSignals } from '../../core/process/signals';
import { reportSpec } from '../../core/run/spec-report';
import { loadWorkspace } from '../../core/workspace/load';
import { cachedSpecs } from '../../plugin/cached-specs';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { workspaceOptions } from '../workspace-options';
import type { WorkspaceModel } from '../../core/workspace/types';
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
  if (!taskOptionsValid(options, log)) return { success: false };
  const workspace = workspaceOptions(context, (line) => log.error(line));
  if (!workspace) return { success: false };
  const stop = abortOnSignals();
  try {
    const load = () => loadWorkspace(context.root, workspace, cachedSpecs(context.root, workspace));
    return await withStatCacheAsync(context.root, () => runTask(options, context.root, load, { ...io, log, signal: stop.signal }));
  } finally {
    stop.dispose();
  }
}

/** Exactly one of `entry` and `spec`; otherwise the task fails with the right form. */
export function taskOptionsValid(options: RunExecutorSchema, log: RunLogger): boolean {
  const hasEntry = typeof options.entry === 'string' && options.entry !== '';
  const hasSpec = typeof options.spec === 'string' && options.spec !== '';
  if (hasEntry !== hasSpec) return true;
  log.error(
    `specthis: the run executor takes either "entry" (an entry name, e.g. { "entry": "fit-baseline" }) or "spec" (a spec file, e.g. { "spec": "specs/compute-wages.md" }); got ${JSON.stringify(options)}`,
  );
  return false;
}

/**
 * One task against a workspace model (loaded per task by `runWith`, once per
 * batch by executors/run/batch.ts). Unexpected errors become one line, never a
 * stack trace. Hashing goes through the stat cache the caller holds open.
 */
export async function runTask(
  options: RunExecutorSchema,
  root: string,
  model: () => WorkspaceModel,
  io: RunIo & { log: RunLogger; signal?: AbortSignal },
): Promise<{ success: boolean }> {
  const { log } = io;
  try {
    const workspace = model();
    if (options.spec) return { success: reportSpec(workspace, options.spec.replace(/\\/g, '/').replace(/^\.\//, ''), log) };
    return { success: (await runEntry(root, workspace, options.entry!, io)).success };
  } catch (error) {
    log.error(
      describeUnexpected(`the run of ${options.entry ?? options.spec}`, error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' }),
    );
    return { success: false };
  }
}
