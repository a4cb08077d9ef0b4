import { readFileSync } from 'node:fs';
import type fg from 'fast-glob';
import { fastGlob } from './glob';
import { activeFileCache, diskStat, type FileStat } from './file-cache';

/**
 * The reads a render makes, through the live server's FileCache when one is
 * running (core/fs/file-cache.ts), straight from disk otherwise.
 */
export function statFile(abs: string): FileStat {
  return activeFileCache()?.stat(abs) ?? diskStat(abs);
}

/** The file's bytes; throws as readFileSync does. */
export function readBytes(abs: string): Buffer {
  const cache = activeFileCache();
  return cache ? cache.read(abs) : readFileSync(abs);
}

export function readUtf8(abs: string): string {
  return readBytes(abs).toString('utf8');
}

export function globFiles(pattern: string, cwd: string, options: fg.Options): string[] {
  const cache = activeFileCache();
  return cache ? cache.glob(pattern, cwd, options) : fastGlob().sync(pattern, { ...options, cwd });
}

/**
 * `compute(bytes)`, remembered with the bytes while a cache is active: hashes
 * and parses of files that did not change are not redone. Callers must treat
 * the result as read-only.
 */
export function derivedFrom<T>(bytes: Buffer, key: string, compute: () => T): T {
  const cache = activeFileCache();
  if (!cache) return compute();
  let memo = cache.derived.get(bytes);
  if (!memo) cache.derived.set(bytes, (memo = new Map()));
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}
