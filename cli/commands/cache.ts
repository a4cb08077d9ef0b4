import { CACHE_ACTIONS, CacheCommandError, runCacheRequest, type CacheRequest } from '../../core/cache/commands';
import { withStatCacheAsync } from '../../core/hash/stat-cache';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import { readLockOrFail } from '../entry-view';
import { CliError, EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import type { CliIo } from '../io';
import { openWorkspace } from '../workspace';

const OPTIONS = { ...SPECS_DIR_OPTION, json: { type: 'boolean' }, all: { type: 'boolean' }, 'older-than': { type: 'string' } } as const;
const ACTIONS = CACHE_ACTIONS;
type Action = (typeof ACTIONS)[number];

export const cacheCommand: Command = {
  name: 'cache',
  summary: 'the results cache: status (what a run would fetch, run or skip), push, fetch, has, list, prune',
  help: `Usage: specthis cache status [<entry>] [--json]
       specthis cache push <entry>... | --all
       specthis cache fetch <entry>... | --all
       specthis cache has <entry>
       specthis cache list [--json]
       specthis cache prune --older-than <days>

The results cache holds each entry's outputs under its run signature, so a
colleague, CI or a cluster node fetches a result instead of computing it
again. It is the plugin option "cache" in nx.json ({ "url": "s3://bucket/prefix"
| "file:///abs/path" | "relative/path", "region", "endpoint", "read", "write" });
SPECTHIS_CACHE_URL, SPECTHIS_CACHE_READ=0|1 and SPECTHIS_CACHE_WRITE=0|1
override it. Credentials come from the standard AWS chain, never nx.json.
  status  per entry: its states, its signature, whether the cache holds it,
          and what a run would do: skip (fresh), fetch, run, refuse
  push    push the fresh entries named (their receipts vouch for them)
  fetch   fetch the entries a run would fetch, every byte verified
  has     exit 0 when the cache holds the entry under its signature now, 1 if not
  list    every entry the cache holds: entry, signature, size, time
  prune   delete entries pushed more than <days> days ago

Options:
  --json               status and list as JSON, keys sorted
  --all                push or fetch every entry it applies to
  --older-than <days>  with prune
  --specs-dir <dir>    specs directory (default: from nx.json, else specs)
  -h, --help           this help

${EXIT_CODES_HELP}
cache has exits 1 when the cache does not hold the entry; push and fetch exit
1 when one failed (a cache that fails is never more than that); a cache that
is not configured is a usage error (2).`,

  async run(args, io) {
    const [action, ...rest] = args;
    if (!ACTIONS.includes(action as Action)) {
      throw usageError(
        `specthis cache: expected ${ACTIONS.join(', ')}${action === undefined ? '' : `, got ${JSON.stringify(action)}`}; see \`specthis cache --help\``,
      );
    }
    const max = action === 'status' || action === 'has' ? 1 : action === 'push' || action === 'fetch' ? Infinity : 0;
    const { values, positionals } = parseCommand(`cache ${action}`, rest, OPTIONS, max);
    const ws = openWorkspace(io.cwd, values['specs-dir']);
    const named = (): string[] | 'all' => {
      if (values.all && positionals.length) throw usageError(`specthis cache ${action}: name entries or pass --all, not both`);
      if (!values.all && !positionals.length) throw usageError(`specthis cache ${action}: name the entries, or pass --all`);
      return values.all ? 'all' : positionals;
    };
    try {
      return await withStatCacheAsync(ws.root, () => runAction(io, ws, action as Action, positionals, values, named));
    } catch (error) {
      if (error instanceof CacheCommandError)
        throw new CliError(error.message, error.kind === 'usage' ? EXIT.usage : error.kind === 'store' ? EXIT.findings : EXIT.workspace);
      throw error;
    }
  },
};

async function runAction(
  io: CliIo,
  { root, options, model }: ReturnType<typeof openWorkspace>,
  action: Action,
  positionals: string[],
  values: { json?: boolean; 'older-than'?: string },
  named: () => string[] | 'all',
): Promise<number> {
  const request = (): CacheRequest => {
    switch (action) {
      case 'prune': {
        const raw = values['older-than'];
        if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw))
          throw usageError(`specthis cache prune: --older-than takes a number of days, e.g. --older-than 30; got ${JSON.stringify(raw)}`);
        return { action, olderThanDays: Number(raw) };
      }
      case 'has':
        if (!positionals[0]) throw usageError('specthis cache has: name the entry');
        return { action, entry: positionals[0] };
      case 'status':
        return { action, ...(positionals[0] ? { entry: positionals[0] } : {}), json: values.json === true };
      case 'list':
        return { action, json: values.json === true };
      default:
        return { action, entries: named() };
    }
  };
  const report = await runCacheRequest(root, model, () => readLockOrFail(root, options.specsDir), request());
  if (report.stdout.length) lines(io.stdout)(...report.stdout);
  if (report.stderr.length) lines(io.stderr)(...report.stderr);
  return report.findings ? EXIT.findings : EXIT.ok;
}
