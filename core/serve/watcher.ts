import { GENERATED_FILES, inSpecsDir, RECEIPTS_DIR, STATE_DIR } from '../layout';
import { watch } from 'chokidar';
import { relative, sep } from 'node:path';

/** Directory names never watched wherever they appear: dependencies, VCS and Nx data. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.nx']);
/**
 * Temporaries of atomic writes (`.x.<pid>.<rand>.tmp`), the certification
 * lock's mutex (`_lock.json.lock`, `.break`) and editor swap files. Other
 * `*.lock` files are watched: environment lock files are `Workflows:` inputs.
 */
const TEMPORARY = /(\.tmp|\.swp|\.swx|~|\.lock\.break)$|^_lock\.json\.lock$|^4913$/;

/**
 * True for a workspace-relative path (posix) the live server ignores: the
 * generated dashboard files (the `dashboard` target rewriting them must not
 * trigger a rebuild), dependencies, `dist/`, Nx's data, temporaries, and
 * everything under `.specthis/` except the receipts, which change an entry's
 * freshness.
 */
export function isIgnored(rel: string, specsDir: string): boolean {
  if (rel === '' || rel === '.') return false;
  const parts = rel.split('/');
  if (parts.some((p) => SKIPPED_DIRS.has(p))) return true;
  if (parts[0] === 'dist') return true;
  if (rel.startsWith(`${STATE_DIR}/`) && rel !== RECEIPTS_DIR && !rel.startsWith(`${RECEIPTS_DIR}/`)) return true;
  if (TEMPORARY.test(parts[parts.length - 1])) return true;
  return GENERATED_FILES.some((name) => rel === inSpecsDir(specsDir, name));
}

export interface WorkspaceWatcher {
  /** Resolves when the initial scan is done; changes before it may be missed. */
  ready: Promise<void>;
  /** How many files and directories are watched (after `ready`: the initial scan's count). */
  count(): number;
  close(): Promise<void>;
}

/**
 * Watches the workspace (chokidar, no initial events, symlinks not followed so
 * a link to `/` cannot make it watch the disk) and reports each changed path,
 * workspace-relative with `/`, to `onChange`, with whether it was added or
 * removed rather than modified. Watch errors go to `onError`.
 */
export function watchWorkspace(
  root: string,
  specsDir: string,
  onChange: (rel: string, structural: boolean) => void,
  onError: (error: Error) => void,
): WorkspaceWatcher {
  const toRel = (abs: string) => relative(root, abs).split(sep).join('/');
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (abs) => isIgnored(toRel(abs), specsDir),
  });
  let scanned = false;
  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      scanned = true;
      resolve();
    }),
  );
  watcher.on('all', (event, abs) => {
    // chokidar 4 reports every symlink found by the initial scan as `add` when
    // symlinks are not followed, ignoreInitial or not; an add before `ready` is
    // part of that scan (what ignoreInitial would drop), not a change.
    if (!scanned && (event === 'add' || event === 'addDir')) return;
    onChange(toRel(abs), event !== 'change');
  });
  watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))));
  return {
    ready,
    count: () => Object.values(watcher.getWatched()).reduce((n, names) => n + names.length, 0),
    close: () => watcher.close(),
  };
}
