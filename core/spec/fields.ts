import { closest } from './closest';
import { fenceScanner } from './fences';
import { diagnostic } from '../diagnostics/diagnostic';
import type { Diagnostic } from './types';

/** Field labels an entry block may carry, mapped to the property they fill. */
export const FIELD_LABELS = {
  script: 'script',
  output: 'output',
  'export script': 'exportScript',
  'export outputs': 'exportOutputs',
  status: 'status',
  run: 'run',
  workflows: 'workflows',
  keys: 'keys',
  reads: 'reads',
  runner: 'runner',
  resources: 'resources',
} as const;
export type FieldName = (typeof FIELD_LABELS)[keyof typeof FIELD_LABELS];

export interface Field {
  name: FieldName;
  label: string;
  /** 0-based line index. */
  index: number;
  /** Raw text after the colon (continuation list items appended as separate values). */
  raw: string;
  values: string[];
  /** How many backtick code spans the value had, over all its lines. */
  spans: number;
  /** Text outside the code spans besides separators (commas, whitespace), when a line had spans: what would be dropped. */
  stray?: string;
}

// `- Script: x`, `* **Script:** x`, `Script: x`, `- **Script**: x`
const FIELD_LINE = /^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z ]*?)(?:\*\*|__)?\s*:(?:\*\*|__)?(?:\s+(.*))?$/;
const CONTINUATION = /^\s{2,}[-*+]\s+(.+)$/;

/** Splits a field value into items: backtick spans when present, else comma-separated words. */
export function splitValues(raw: string): string[] {
  return readValue(raw).values;
}

/**
 * A field value's items and what would be lost splitting it: backtick spans
 * when present (then any text outside them but commas and whitespace is
 * `stray`, never silently dropped), else comma-separated words.
 */
function readValue(raw: string): { values: string[]; spans: number; stray?: string } {
  const spans = [...raw.matchAll(/`([^`]+)`/g)];
  if (spans.length) {
    const outside = raw
      .replace(/`[^`]+`/g, ' ')
      .replace(/[\s,]+/g, ' ')
      .trim();
    return { values: spans.map((m) => m[1].trim()).filter(Boolean), spans: spans.length, ...(outside ? { stray: outside } : {}) };
  }
  return {
    values: raw
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
    spans: 0,
  };
}

/**
 * Reads the field lines of one entry block. A field's values may continue on
 * indented list items below it (`- Export outputs:` then `  - reports/a.tex`).
 * List items that look like a field but carry an unknown label get a warning with
 * the closest known label, because a typo (`Scirpt:`) would otherwise vanish.
 */
export function readFields(
  file: string,
  lines: readonly string[],
  start: number,
  end: number,
): { fields: Field[]; diagnostics: Diagnostic[] } {
  const fields: Field[] = [];
  const diagnostics: Diagnostic[] = [];
  let current: Field | undefined;
  const inFence = fenceScanner();
  for (let i = start; i < end; i++) {
    const line = lines[i];
    if (inFence(line)) {
      current = undefined;
      continue;
    }
    const cont = CONTINUATION.exec(line);
    if (current && cont && !FIELD_LINE.test(cont[1])) {
      const more = readValue(cont[1]);
      current.values.push(...more.values);
      current.spans += more.spans;
      if (more.stray && !current.stray) current.stray = more.stray;
      continue;
    }
    current = undefined;
    const m = FIELD_LINE.exec(line);
    if (!m) continue;
    const label = m[1].trim().toLowerCase();
    const name = Object.prototype.hasOwnProperty.call(FIELD_LABELS, label) ? (FIELD_LABELS as Record<string, FieldName>)[label] : undefined;
    if (!name) {
      const near = closestLabel(label);
      if (near && /^\s{0,3}[-*+]\s/.test(line)) {
        diagnostics.push(
          diagnostic('spec', file, {
            line: i + 1,
            severity: 'warning',
            reason: `unknown field "${m[1].trim()}:"; did you mean "${near}:"?`,
            rule: 'entry-unknown-field',
            expected: `- ${near}: ...`,
            received: line.trim(),
          }),
        );
      }
      continue;
    }
    const raw = (m[2] ?? '').trim();
    current = { name, label: m[1].trim(), index: i, raw, ...readValue(raw) };
    fields.push(current);
  }
  return { fields, diagnostics };
}

function closestLabel(label: string): string | undefined {
  const best = closest(label, Object.keys(FIELD_LABELS));
  return best && best[0].toUpperCase() + best.slice(1);
}
