import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { activeFileCache } from '../fs/file-cache';
import { derivedFrom, readBytes, statFile } from '../fs/read';
import { activeStatCache } from './stat-cache';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Read size of a streamed hash: large enough that the hash, not the syscalls, sets the pace; memory stays flat whatever the file's size. */
const CHUNK = 1024 * 1024;
let chunk: Buffer | undefined;
let streamed = 0;

/** Bytes this process has read to hash files (the stat cache's effect, in the bench and its test). */
export function bytesHashed(): number {
  return streamed;
}

/** The file's SHA-256 and the bytes read, a chunk at a time; undefined when it cannot be read. */
function streamHash(absPath: string): { sha256: string; size: number } | undefined {
  let fd: number;
  try {
    fd = openSync(absPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const hash = createHash('sha256');
    const buf = (chunk ??= Buffer.allocUnsafe(CHUNK));
    let size = 0;
    for (let n; (n = readSync(fd, buf, 0, CHUNK, null)) > 0; size += n) hash.update(n === CHUNK ? buf : buf.subarray(0, n));
    streamed += size;
    return { sha256: hash.digest('hex'), size };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * SHA-256 and size of a regular file (symlinks followed), or undefined when there
 * is no regular file at the path: hashes describe content, and a directory or a
 * dangling link has none.
 *
 * Streamed, so a 1 GiB result costs a megabyte of memory, and looked up in the
 * workspace's stat cache first when one is active (core/hash/stat-cache.ts),
 * so an unchanged file is not read at all. The live server's FileCache keeps
 * the bytes it serves anyway, and hashes them once per change.
 */
export function hashFile(absPath: string): { sha256: string; size: number } | undefined {
  if (activeFileCache()) {
    try {
      if (statFile(absPath).kind !== 'file') return undefined;
      const bytes = readBytes(absPath);
      return derivedFrom(bytes, 'sha256', () => ({ sha256: sha256(bytes), size: bytes.length }));
    } catch {
      return undefined;
    }
  }
  let st;
  try {
    st = statSync(absPath, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!st?.isFile()) return undefined;
  const stats = activeStatCache();
  const known = stats?.lookup(absPath, st);
  if (known) return known;
  // Taken before the read: a write that lands during it leaves mtime at or after this moment, so the record is never trusted.
  const hashedAtNs = stats?.momentBefore(st, absPath);
  const hashed = streamHash(absPath);
  if (hashed && stats && hashedAtNs !== undefined && hashed.size === Number(st.size))
    stats.remember(absPath, st, hashedAtNs, hashed.sha256);
  return hashed;
}
