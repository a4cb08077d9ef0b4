import { createHash } from 'node:crypto';
import { derivedFrom, readBytes, statFile } from '../fs/read';

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
    if (statFile(absPath).kind !== 'file') return undefined;
    const bytes = readBytes(absPath);
    return derivedFrom(bytes, 'sha256', () => ({ sha256: sha256(bytes), size: bytes.length }));
  } catch {
    return undefined;
  }
}
