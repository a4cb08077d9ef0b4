import type { RuleId } from '../diagnostics/rules';
import { jsonSyntaxError } from '../fs/json-error';
import { ROLE_ORDER, type ComponentRole } from '../hash/inputs';
import { ENTRY_NAME } from '../spec/entries';
import { LockFileError, lineColumn } from './errors';
import type { Lock } from './types';

const RECORD_EXAMPLE =
  '"<entry>": { "inputs_certified": "<64 hex>", "framing": "specthis-inputs/1", "components": [{ "role": "script", "path": "scripts/fit.py", "sha256": "<64 hex>" }], "depends_on": ["compute-clean.md"], "author": "Ada", "ts": "2026-01-01T00:00:00.000Z" }';
const RECERTIFY = 'or delete the broken record and re-certify: nx g @specthis/nx:certify <entry>';
const KEYS = ['inputs_certified', 'framing', 'components', 'depends_on', 'author', 'ts'] as const;
const ROLES = ROLE_ORDER;
const HEX64 = /^[0-9a-f]{64}$/;

/** Parses and checks the lock's text; `file` is the workspace-relative path errors name. */
export function parseLock(text: string, file: string): Lock {
  const fail = (offset: number, reason: string, rule: RuleId, expected: string, received?: string): never => {
    const { line, column } = lineColumn(text, offset);
    throw new LockFileError(file, { line, column, reason, rule, expected, ...(received !== undefined ? { received } : {}) });
  };
  const conflict = /^(<{7}|={7}|>{7})( |$)/m.exec(text);
  if (conflict)
    fail(
      conflict.index,
      'unresolved merge conflict markers',
      'lock-merge-conflict',
      `keep every record from both sides (each entry once), ${RECERTIFY}`,
      conflict[0],
    );
  let value: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try {
    value = JSON.parse(body);
  } catch (e) {
    if (text.trim() === '')
      throw new LockFileError(file, {
        reason: 'the file is empty',
        rule: 'lock-json',
        expected: '{} (no entry certified), or delete the file',
      });
    // JSON.parse gives no position for some errors and one past the end for others: the place comes from our own scan.
    const error = jsonSyntaxError(body);
    const message = (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
    // V8's "Unexpected token …" and "Unexpected end …" say less than what was expected there.
    const what = error && /^Unexpected/.test(message) ? `expected ${error.expected}` : message;
    fail(
      (error?.offset ?? body.length) + (text.length - body.length),
      `not valid JSON: ${what}`,
      'lock-json',
      `a JSON object of entry records: { ${RECORD_EXAMPLE} }`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(0, 'the lock must be a JSON object keyed by entry name', 'lock-shape', `{ ${RECORD_EXAMPLE} }`, JSON.stringify(value));
  }
  const keys = topLevelKeys(text);
  const seen = new Set<string>();
  for (const { key, offset } of keys) {
    if (seen.has(key))
      fail(
        offset,
        `entry "${key}" has two records (a merge that kept both sides?)`,
        'lock-duplicate-entry',
        `one record per entry: keep the newer, ${RECERTIFY}`,
        key,
      );
    seen.add(key);
    if (!ENTRY_NAME.test(key) || key.includes('--')) {
      fail(
        offset,
        `top-level key "${key}" is not an entry name; the lock holds only entry records at the top level`,
        'lock-entry-name',
        'lowercase `[a-z0-9][a-z0-9._-]*` without `--`, e.g. "fit-baseline"',
        key,
      );
    }
    const problem = recordProblem((value as Record<string, unknown>)[key]);
    if (problem)
      fail(
        fieldOffset(text, offset, problem.field),
        `record of "${key}": ${problem.what}`,
        'lock-record',
        `${RECORD_EXAMPLE}; ${RECERTIFY}`,
        problem.received,
      );
  }
  return value as Lock;
}

function recordProblem(r: unknown): { field?: string; what: string; received?: string } | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return { what: 'must be an object', received: JSON.stringify(r) };
  const rec = r as Record<string, unknown>;
  const extra = Object.keys(rec).find((k) => !(KEYS as readonly string[]).includes(k));
  if (extra) return { field: extra, what: `unknown key "${extra}" (a record has exactly ${KEYS.join(', ')})`, received: extra };
  const missing = KEYS.find((k) => !(k in rec));
  if (missing) return { what: `lacks "${missing}"` };
  if (typeof rec.inputs_certified !== 'string' || !HEX64.test(rec.inputs_certified))
    return {
      field: 'inputs_certified',
      what: '"inputs_certified" must be 64 lowercase hex digits',
      received: JSON.stringify(rec.inputs_certified),
    };
  for (const k of ['framing', 'author', 'ts'] as const)
    if (typeof rec[k] !== 'string' || rec[k] === '')
      return { field: k, what: `"${k}" must be a non-empty string`, received: JSON.stringify(rec[k]) };
  if (!Array.isArray(rec.depends_on) || !rec.depends_on.every((d) => typeof d === 'string'))
    return { field: 'depends_on', what: '"depends_on" must be a list of spec paths', received: JSON.stringify(rec.depends_on) };
  if (!Array.isArray(rec.components))
    return { field: 'components', what: '"components" must be a list', received: JSON.stringify(rec.components) };
  const bad = rec.components.find((c) => !isComponent(c));
  if (bad !== undefined)
    return {
      field: 'components',
      what: `component ${JSON.stringify(bad)} is not { role: ${ROLES.join('|')}, path, sha256: <64 hex> | "missing" }`,
      received: JSON.stringify(bad),
    };
  return undefined;
}

function isComponent(c: unknown): boolean {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return false;
  const { role, path, sha256, ...rest } = c as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    ROLES.includes(role as ComponentRole) &&
    typeof path === 'string' &&
    path !== '' &&
    typeof sha256 === 'string' &&
    (HEX64.test(sha256) || sha256 === 'missing')
  );
}

/** Where a record's field is written, for the error's line; the record's key when the field is not found. */
function fieldOffset(text: string, recordOffset: number, field: string | undefined): number {
  if (!field) return recordOffset;
  const at = text.indexOf(JSON.stringify(field), recordOffset);
  return at < 0 ? recordOffset : at;
}

/** Keys of the top-level object with their offsets, in file order (duplicates kept). Valid JSON only. */
function topLevelKeys(text: string): { key: string; offset: number }[] {
  const keys: { key: string; offset: number }[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(text.slice(j + 1, j + 40))) keys.push({ key: JSON.parse(text.slice(i, j + 1)), offset: i });
      i = j;
    }
  }
  return keys;
}
