import { lstatSync } from 'node:fs';
import { join, posix } from 'node:path';
// The narrow module (plugin/create-nodes.ts says why): the plugin worker has it loaded already.
import { hashFile } from 'nx/src/hasher/file-hasher';
import { outsideWorkspace } from '../core/fs/inside';

/**
 * One content hash per spec file, through Nx's native file hasher. Not Nx's
 * workspace context: in a plugin worker that walks the whole workspace, data
 * directories included, before it answers for one file (docs/decisions.md,
 * "The plugin hashes the spec files itself"). A spec reached through a link,
 * its own or a directory's, is hashed by what it leads to while that stays
 * inside the workspace, else keyed by where it leads: nothing outside is read
 * (the parser then says so, core/workspace/load.ts).
 */
export function hashSpecFiles(root: string, files: readonly string[]): string[] {
  return files.map(specHasher(root));
}

/** hashSpecFiles one file at a time (plugin/cached-specs.ts), each directory still resolved once. */
export function specHasher(root: string): (file: string) => string {
  const dirs = new Map<string, string | undefined>();
  const outsideDir = (dir: string) => {
    if (!dirs.has(dir)) dirs.set(dir, outsideWorkspace(root, dir));
    return dirs.get(dir);
  };
  return (file) => {
    const abs = join(root, file);
    try {
      // Through a directory that leads out, the file may still lead back in: then readSpec reads it, so it is hashed.
      const linked = outsideDir(posix.dirname(file)) !== undefined || lstatSync(abs).isSymbolicLink();
      const outside = linked ? outsideWorkspace(root, file) : undefined;
      return outside === undefined ? hashFile(abs) : `outside ${outside}`;
    } catch (error) {
      // Unreadable now: the parse reports it; the marker keeps the key honest.
      return `unreadable ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  };
}
