import { canonicalJson } from '../../core/fs/canonical-json';
import { blockedHome, unknownEntryHint } from '../../core/workspace/lookup';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import { readLockOrFail, sortedEntries, viewEntry, type EntryView } from '../entry-view';
import { EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import type { CliIo } from '../io';
import { table } from '../../core/table';
import { withStatCache } from '../../core/hash/stat-cache';
import { openWorkspace, type OpenWorkspace } from '../workspace';
import { clearLock, recordLock } from './lock-write';

const OPTIONS = {
  ...SPECS_DIR_OPTION,
  json: { type: 'boolean' },
  'all-ready': { type: 'boolean' },
  all: { type: 'boolean' },
  author: { type: 'string' },
} as const;

export const lockCommand: Command = {
  name: 'lock',
  summary: 'certification in <specsDir>/_lock.json: status, record (certify), clear',
  help: `Usage: specthis lock status [<entry>] [--json]
       specthis lock record <entry>... | --all-ready [--author <name>]
       specthis lock clear <entry>... | --all

The lock records, per entry, the inputs a person or agent checked against
the spec (spec text, entry block, scripts, workflow files). Same as
\`nx g @specthis/nx:certify\`.
  status  each entry's certification: certified, spec audit needed (with the
          inputs that moved) or unbound
  record  certify the named entries (refused, and nothing recorded, when one
          is script TBD, has no script or its spec has errors); --all-ready
          certifies every script-ready entry and lists the ones skipped
  clear   remove the named entries' records (--all: every record)

Options:
  --json             status as JSON, keys sorted
  --author <name>    who certifies (default: git config user.name)
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}
lock status exits 1 when an entry needs a spec audit; lock record exits 1
when it refuses.`,

  run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'status' && action !== 'record' && action !== 'clear') {
      throw usageError(
        `specthis lock: expected status, record or clear${action === undefined ? '' : `, got ${JSON.stringify(action)}`}; see \`specthis lock --help\``,
      );
    }
    const { values, positionals } = parseCommand(`lock ${action}`, rest, OPTIONS, action === 'status' ? 1 : Infinity);
    const misplaced = (['all-ready', 'author', 'all'] as const).filter(
      (o) => values[o] !== undefined && !(o === 'all' ? action === 'clear' : action === 'record'),
    );
    if (misplaced.length) throw usageError(`specthis lock ${action}: --${misplaced[0]} does not apply here; see \`specthis lock --help\``);
    const ws = openWorkspace(io.cwd, values['specs-dir']);
    if (action === 'clear') return clearLock(io, ws, positionals, values.all === true);
    return withStatCache(ws.root, () =>
      action === 'status'
        ? status(io, ws, positionals[0], values.json === true)
        : recordLock(io, ws, positionals, values['all-ready'] === true, values.author),
    );
  },
};

function status(io: CliIo, { root, options, model }: OpenWorkspace, name: string | undefined, json: boolean): number {
  const lock = readLockOrFail(root, options.specsDir);
  if (name !== undefined && !model.entries.has(name)) {
    const home = blockedHome(root, model, name);
    if (home)
      throw usageError(
        `specthis lock status: ${name} is declared in ${home.file}, which has errors; \`specthis status ${name}\` lists them`,
      );
    throw usageError(`specthis lock status: no entry "${name}" in ${options.specsDir}/; ${unknownEntryHint(model, name)}`);
  }
  const entries = (name === undefined ? sortedEntries(model) : [model.entries.get(name)!]).map((e) => viewEntry(root, model, e, lock));
  const view = (e: EntryView) => ({ entry: e.entry, spec: e.spec, ...e.certification });
  if (json) io.stdout(canonicalJson({ specsDir: options.specsDir, entries: entries.map(view) }));
  else
    lines(io.stdout)(
      ...table(
        ['ENTRY', 'CERTIFICATION', 'WHY'],
        entries.map((e) => [e.entry, e.certification.state, e.certification.detail]),
      ),
    );
  return entries.some((e) => e.certification.state === 'spec audit needed') ? EXIT.findings : EXIT.ok;
}
