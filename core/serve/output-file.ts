import { closeSync, fstatSync, openSync, readSync, realpathSync, constants } from 'node:fs';
import { extname, relative, sep } from 'node:path';
import { isServable } from './request-path';

/** Formats the browser shows itself; everything else is shown as escaped text inside a page. */
const RAW_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
};

/** Text views stop here; an output larger than this is shown truncated, with a note. */
export const TEXT_LIMIT = 4 * 1024 * 1024;

export interface OutputFile {
  /** The Content-Type to send the bytes with, or undefined for "show as escaped text". */
  rawType: string | undefined;
  bytes: Buffer;
  size: number;
  truncated: boolean;
}

/**
 * Reads a declared output, refusing (undefined) anything that is not a
 * regular file whose real path stays inside the workspace's real path and is
 * itself servable: a declared path that is a symlink to /etc/passwd, to a file
 * outside the workspace or to `.env` is refused, not followed. The file is
 * opened by its resolved path and checked with fstat on the open descriptor,
 * so what is read is what was checked.
 */
export function readOutput(root: string, rel: string, limit = TEXT_LIMIT): OutputFile | undefined {
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(`${realRoot}${sep}${rel}`);
  } catch {
    return undefined;
  }
  const inside = relative(realRoot, real);
  if (!inside || inside.startsWith('..') || inside.startsWith(sep) || !isServable(inside.split(sep).join('/'))) return undefined;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const rawType = RAW_TYPES[extname(rel).toLowerCase()];
    const want = rawType ? stat.size : Math.min(stat.size, limit);
    const bytes = Buffer.alloc(want);
    let read = 0;
    while (read < want) {
      const n = readSync(fd, bytes, read, want - read, read);
      if (n === 0) break;
      read += n;
    }
    return { rawType, bytes: bytes.subarray(0, read), size: stat.size, truncated: !rawType && stat.size > read };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
