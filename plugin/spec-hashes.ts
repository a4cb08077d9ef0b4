import { lstatSync } from 'node:fs';
import { join } from 'node:path';
// The narrow module (plugin/create-nodes.ts says why): the plugin worker has it loaded already.
import { hashFile } from 'nx/src/hasher/file-hasher';
import { outsideWorkspace } from '../core/fs/inside';

/**
 * One content hash per spec file, through Nx's native file hasher. Not Nx's
 * workspace context: in a plugin worker that walks and hashes the whole
 * workspace, data directories included, before it answers for one file
 * (40 ms of a warm run at 1,000 specs and 2,200 files, against 12 ms here,
 * bench/README.md "Project graph"). A link is hashed by what it leads to
 * when that stays inside the workspace, else by where it leads: nothing
 * outside is read (the parser then says so, core/workspace/load.ts).
 */
export function hashSpecFiles(root: string, files: readonly string[]): string[] {
  return files.map((file) => {
    const abs = join(root, file);
    try {
      if (lstatSync(abs).isSymbolicLink()) {
        const outside = outsideWorkspace(root, file);
        if (outside !== undefined) return `outside ${outside}`;
      }
      return hashFile(abs);
    } catch (error) {
      // Unreadable now: the parse reports it; the marker keeps the key honest.
      return `unreadable ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  });
}
