import { activeFileCache } from '../fs/file-cache';
import { derivedFrom, readBytes, statFile } from '../fs/read';
import { join } from 'node:path';

/**
 * `isFile` over workspace-relative paths, remembered for one audit (the same
 * path is asked about from several checks). Under a FileCache every ask goes
 * to the cache, which remembers stats already and must see each one: the
 * audit memo records which entry asked for which path.
 */
export function fileChecker(root: string): (path: string) => boolean {
  const seen = new Map<string, boolean>();
  return (path) => {
    if (activeFileCache()) return statFile(join(root, path)).kind === 'file';
    let known = seen.get(path);
    if (known === undefined) {
      known = statFile(join(root, path)).kind === 'file';
      seen.set(path, known);
    }
    return known;
  };
}

/** A result JSON's top level: its keys when it is an object, or why it has none. */
export type JsonTop =
  | { kind: 'object'; keys: string[] }
  | { kind: 'absent' }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'not-object'; got: string };

/** Results above this are not parsed just to list their keys; the audit says so instead of stalling. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export function readJsonTop(root: string, path: string): JsonTop {
  let bytes: Buffer;
  try {
    const stat = statFile(join(root, path));
    if (stat.kind !== 'file') return { kind: 'absent' };
    if (stat.size > MAX_JSON_BYTES) return { kind: 'too-large', bytes: stat.size };
    bytes = readBytes(join(root, path));
  } catch {
    return { kind: 'absent' };
  }
  return derivedFrom(bytes, 'json-top', () => jsonTop(bytes.toString('utf8')));
}

function jsonTop(text: string): JsonTop {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'not-object', got: value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}` };
  }
  return { kind: 'object', keys: Object.keys(value).sort() };
}
