import { activeFileCache } from '../fs/file-cache';
import { statFile } from '../fs/read';
import { join } from 'node:path';

/**
 * `isFile` over workspace-relative paths, remembered for one audit (the same
 * path is asked about from several checks). Under a FileCache every ask goes
 * to the cache, which remembers stats already and must see each one: the
 * audit memo records which entry asked for which path.
 */
export function fileChecker(root: string): (path: string) => boolean {
  const seen = new Map<string, boolean>();
  return (path) => {
    if (activeFileCache()) return statFile(join(root, path)).kind === 'file';
    let known = seen.get(path);
    if (known === undefined) {
      known = statFile(join(root, path)).kind === 'file';
      seen.set(path, known);
    }
    return known;
  };
}
