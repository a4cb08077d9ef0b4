/**
 * The little a scaffolder needs from a file system. Generators pass an Nx Tree
 * behind it (so `--dry-run` writes nothing) and the CLI passes the disk, so the
 * decisions about what to write live once, here, without importing Nx.
 * Paths are workspace-relative POSIX paths.
 */
export interface ScaffoldFiles {
  exists(path: string): boolean;
  /** The file's text, or undefined when it does not exist. */
  read(path: string): string | undefined;
  write(path: string, content: string): void;
  /** Names of the entries of a directory; empty when it does not exist. */
  children(dir: string): string[];
}

export type FileAction = 'created' | 'overwritten' | 'kept' | 'updated';

/** What happened to one file, so each front end can say it in its own voice. */
export interface FileReport {
  path: string;
  action: FileAction;
}

/**
 * Writes `path` unless a file is already there (in any letter case, because
 * `readme.md` and `README.md` are one file on macOS and Windows); `force`
 * replaces it. Reports the path actually found when one was kept.
 */
export function writeUnlessPresent(files: ScaffoldFiles, path: string, content: string, force = false): FileReport {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '.' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  const found = files.children(dir).find((c) => c.toLowerCase() === base.toLowerCase());
  const existing = found === undefined ? undefined : slash < 0 ? found : `${dir}/${found}`;
  if (existing !== undefined && !force) return { path: existing, action: 'kept' };
  files.write(existing ?? path, content);
  return { path: existing ?? path, action: existing === undefined ? 'created' : 'overwritten' };
}
