import { mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Scratch space for pushes and fetches, inside the workspace so a fetch's
 * renames into place stay on one file system (rename(2) is atomic only there).
 * `.specthis/` is gitignored and machine-local, like the receipts beside it.
 */
export const STAGING_DIR = '.specthis/staging';

export interface Staging {
  dir: string;
  /** Removes the folder, and the staging folders this call created if they are empty again: the workspace looks as before. */
  cleanup(): void;
}

export function makeStaging(root: string, label: string): Staging {
  const base = join(root, STAGING_DIR);
  const created = mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${label}-`));
  return {
    dir,
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      if (!created) return;
      // Up to the first folder mkdir made; ENOTEMPTY (another fetch, the receipts) stops the climb.
      for (let d = base; d.length >= created.length; d = dirname(d)) {
        try {
          rmdirSync(d);
        } catch {
          break;
        }
      }
    },
  };
}
