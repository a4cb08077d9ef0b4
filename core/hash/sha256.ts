import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * SHA-256 and size of a regular file (symlinks followed), or undefined when there
 * is no regular file at the path: hashes describe content, and a directory or a
 * dangling link has none.
 */
export function hashFile(absPath: string): { sha256: string; size: number } | undefined {
  try {
    if (!statSync(absPath).isFile()) return undefined;
    const bytes = readFileSync(absPath);
    return { sha256: sha256(bytes), size: bytes.length };
  } catch {
    return undefined;
  }
}
