import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import type { ScaffoldFiles } from './files';

/** ScaffoldFiles on the real disk under `root`, for the CLI. Writes are atomic. */
export function diskFiles(root: string): ScaffoldFiles {
  const abs = (path: string) => join(root, path);
  return {
    exists: (path) => existsSync(abs(path)),
    read: (path) => {
      try {
        return readFileSync(abs(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    write: (path, content) => writeFileAtomic(abs(path), content),
    children: (dir) => {
      try {
        return readdirSync(abs(dir));
      } catch {
        return [];
      }
    },
  };
}
