import type { ExecutorContext } from '@nx/devkit';
import { CacheCommandError, runCacheRequest, type CacheRequest } from '../../core/cache/commands';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { withStatCacheAsync } from '../../core/hash/stat-cache';
import { LockFileError, readLock } from '../../core/lock';
import { loadWorkspace } from '../../core/workspace/load';
import { workspaceOptions } from '../workspace-options';
import type { CacheExecutorSchema } from './schema';

export interface CacheIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STD_IO: CacheIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * `@specthis/nx:cache`: core/cache/commands.ts's operations, as `specthis
 * cache` runs them (`nx run specs:cache --action=push`). Never cached: it reads
 * and writes the store.
 */
export default async function cacheExecutor(options: CacheExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return cacheWith(options, context, STD_IO);
}

/** The executor's options as one request, or the sentence saying what right looks like. */
export function cacheRequest(options: CacheExecutorSchema): CacheRequest | string {
  const action = options.action ?? 'status';
  const entries = options.entries ?? [];
  const one = () =>
    entries.length > 1 ? `--action=${action} takes one entry (--entries=<name>), got ${entries.length}: ${entries.join(', ')}` : undefined;
  switch (action) {
    case 'status':
      return one() ?? { action, ...(entries[0] ? { entry: entries[0] } : {}), json: options.json === true };
    case 'has':
      if (!entries[0]) return '--action=has needs the entry: --entries=<name>';
      return one() ?? { action, entry: entries[0] };
    case 'list':
      return { action, json: options.json === true };
    case 'prune':
      if (options.olderThan === undefined || !(options.olderThan >= 0))
        return `--action=prune needs --olderThan=<days>, a number of days such as 30; got ${JSON.stringify(options.olderThan)}`;
      return { action, olderThanDays: options.olderThan };
    case 'push':
    case 'fetch':
      return { action, entries: entries.length ? entries : 'all' };
    default:
      return `--action must be one of status, push, fetch, has, list, prune; got ${JSON.stringify(action)}`;
  }
}

export async function cacheWith(
  options: CacheExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
  io: CacheIo,
): Promise<{ success: boolean }> {
  const workspace = workspaceOptions(context, (line) => io.err(`${line}\n`));
  if (!workspace) return { success: false };
  const request = cacheRequest(options);
  if (typeof request === 'string') {
    io.err(`specthis cache: ${request}\n`);
    return { success: false };
  }
  const root = context.root;
  try {
    const report = await withStatCacheAsync(root, () =>
      runCacheRequest(root, loadWorkspace(root, workspace), () => readLock(root, workspace.specsDir), request),
    );
    for (const line of report.stdout) io.out(`${line}\n`);
    for (const line of report.stderr) io.err(`${line}\n`);
    return { success: !report.findings };
  } catch (error) {
    if (error instanceof CacheCommandError) io.err(`${error.message}\n`);
    else if (error instanceof LockFileError)
      io.err(`specthis: the lock file does not parse, so no certification can be trusted:\n${error.message}\n`);
    else io.err(`${describeUnexpected('the results cache', error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' })}\n`);
    return { success: false };
  }
}
