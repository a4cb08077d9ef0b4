import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { outsideWorkspace } from '../fs/inside';
import { isFile, isDirectory } from '../fs/stat';
import { hashFile, sha256 } from '../hash/sha256';

export interface OutputRecord {
  /** Workspace-relative POSIX path. */
  path: string;
  sha256: string;
  size: number;
}

/**
 * Every regular file an entry owns, sorted and workspace-relative: a root that is
 * a directory contributes each file beneath it (a compute entry's result
 * directory holds sidecars beside its JSON), a root that is a file contributes
 * itself, an absent root nothing. Symlinked directories are not followed, and
 * a linked file only when it stays inside the workspace, so a link cannot pull
 * the rest of the disk into a receipt.
 */
export function ownedFiles(root: string, roots: readonly string[]): string[] {
  const files = new Set<string>();
  const walk = (rel: string) => {
    for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = posix.join(rel, d.name);
      if (d.isDirectory()) walk(child);
      else if (d.isFile() || (d.isSymbolicLink() && isFile(join(root, child)) && outsideWorkspace(root, child) === undefined))
        files.add(child);
    }
  };
  for (const r of roots) {
    if (outsideWorkspace(root, r) !== undefined) continue;
    const abs = join(root, r);
    if (isFile(abs)) files.add(r);
    else if (isDirectory(abs)) walk(r);
  }
  return [...files].sort(byPath);
}

/** Hashes the files that exist among `paths`, sorted by path. */
export function hashOutputs(root: string, paths: readonly string[]): OutputRecord[] {
  const records: OutputRecord[] = [];
  for (const path of [...new Set(paths)].sort(byPath)) {
    const h = hashFile(join(root, path));
    if (h) records.push({ path, ...h });
  }
  return records;
}

/** One digest for a set of outputs: SHA-256 over their sorted `<path> <sha256>` lines joined with "\n". */
export function outputsDigest(outputs: readonly Pick<OutputRecord, 'path' | 'sha256'>[]): string {
  return sha256(
    [...outputs]
      .sort((a, b) => byPath(a.path, b.path))
      .map((o) => `${o.path} ${o.sha256}`)
      .join('\n'),
  );
}

/** Code-unit order, the same on every machine and locale. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
