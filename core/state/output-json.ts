import { join } from 'node:path';
import { outsideWorkspace } from '../fs/inside';
import { derivedFrom, readBytes, statFile } from '../fs/read';

/**
 * The one checker of compute outputs and their `Keys:`, for the run (which
 * refuses a receipt) and the audit (which reports a finding and fills the
 * table's cells) alike.
 */

/** A result JSON's top level: its keys when it is an object, or why it has none. */
export type JsonTop =
  | { kind: 'object'; keys: string[] }
  | { kind: 'absent' }
  | { kind: 'not-file' }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'not-object'; got: string };

/** Results above this are not parsed by the audit just to list their keys; it says so instead of stalling. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** Reads the top level of `path` (workspace-relative); files above `maxBytes` are not parsed. */
export function readJsonTop(root: string, path: string, maxBytes = MAX_JSON_BYTES): JsonTop {
  let bytes: Buffer;
  // An output that links out of the workspace is never read (the run and the audit name it: path-outside-workspace).
  if (outsideWorkspace(root, path) !== undefined) return { kind: 'absent' };
  try {
    const stat = statFile(join(root, path));
    if (stat.kind === 'absent') return { kind: 'absent' };
    if (stat.kind !== 'file') return { kind: 'not-file' };
    if (stat.size > maxBytes) return { kind: 'too-large', bytes: stat.size };
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

/** What is wrong with an output's top level against its `Keys:`, or undefined when nothing is (or nothing can be told). */
export type JsonProblem =
  | { kind: 'invalid'; message: string }
  | { kind: 'not-object'; got: string }
  | { kind: 'keys-missing'; missing: string[]; present: string[] };

export function jsonProblem(top: JsonTop, keys: readonly string[]): JsonProblem | undefined {
  if (top.kind === 'invalid') return { kind: 'invalid', message: top.message };
  if (top.kind === 'not-object') return { kind: 'not-object', got: top.got };
  if (top.kind !== 'object') return undefined;
  const missing = keys.filter((k) => !top.keys.includes(k));
  return missing.length ? { kind: 'keys-missing', missing, present: top.keys } : undefined;
}

/** `{"beta": ..., "n": ...}`: the right form, from the entry's `Keys:`. */
export function jsonExample(keys: readonly string[]): string {
  return `{${(keys.length ? keys : ['estimate']).map((k) => `"${k}": ...`).join(', ')}}`;
}

/** The problem in words, after the output's path: `lacks the top-level key "n" that "Keys:" requires (it has: beta)`. */
export function describeJsonProblem(p: JsonProblem): string {
  if (p.kind === 'invalid') return `is not valid JSON (${p.message})`;
  if (p.kind === 'not-object') return `holds ${p.got}, not a JSON object`;
  const names = p.missing.map((k) => `"${k}"`).join(', ');
  return `lacks the top-level key${p.missing.length > 1 ? 's' : ''} ${names} that "Keys:" requires (it has: ${p.present.join(', ') || 'no keys'})`;
}
