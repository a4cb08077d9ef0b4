import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from '../spec/types';

/**
 * Checks what a run that exited 0 claims to have produced: every declared
 * output exists as a file, and a compute output is a JSON object holding every
 * `Keys:` key at top level. Returns one message per problem; none means verified.
 */
export function verifyOutputs(root: string, entry: Entry): string[] {
  const field = entry.family === 'compute' ? 'Output:' : 'Export outputs:';
  const problems: string[] = [];
  for (const path of entry.outputs) {
    const kind = fileKind(join(root, path));
    if (kind === 'absent')
      problems.push(`${path} was not written: the command exited 0 but the entry's "${field}" names this file; the script must write it`);
    else if (kind === 'other') problems.push(`${path} is not a regular file; the entry's "${field}" names a file the script writes`);
    else if (entry.family === 'compute') problems.push(...checkJson(root, path, entry.keys));
  }
  return problems;
}

function checkJson(root: string, path: string, keys: readonly string[]): string[] {
  const example = `{${(keys.length ? keys : ['estimate']).map((k) => `"${k}": ...`).join(', ')}}`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(root, path), 'utf8'));
  } catch (error) {
    return [`${path} is not valid JSON (${(error as Error).message}); a compute output is one JSON object, e.g. ${example}`];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return [`${path} holds ${got}, not a JSON object; a compute output is an object with named top-level keys, e.g. ${example}`];
  }
  const missing = keys.filter((k) => !Object.prototype.hasOwnProperty.call(value, k));
  if (!missing.length) return [];
  const present = Object.keys(value);
  const names = missing.map((k) => `"${k}"`).join(', ');
  return [
    `${path} lacks the top-level key${missing.length > 1 ? 's' : ''} ${names} that "Keys:" requires; expected an object like ${example} (it has: ${present.length ? present.join(', ') : 'no keys'})`,
  ];
}

function fileKind(abs: string): 'file' | 'absent' | 'other' {
  try {
    return statSync(abs).isFile() ? 'file' : 'other';
  } catch {
    return 'absent';
  }
}
