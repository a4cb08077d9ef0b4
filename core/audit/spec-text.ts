import { outsideWorkspace } from '../fs/inside';
import { derivedFrom, readBytes } from '../fs/read';
import { join } from 'node:path';
import type { Entry } from '../spec/types';

/** A spec's lines as the audit reads them: the parser keeps structure, the audit also needs the prose. */
export interface SpecText {
  lines: string[];
  /** 0-based index of the first body line (after the front matter), 0 when there is none. */
  bodyStart: number;
}

export function readSpecText(root: string, file: string): SpecText {
  let bytes: Buffer;
  // A spec that links out of the workspace is never read (core/workspace/load.ts says why, as a diagnostic).
  if (outsideWorkspace(root, file) !== undefined) return { lines: [], bodyStart: 0 };
  try {
    bytes = readBytes(join(root, file));
  } catch {
    return { lines: [], bodyStart: 0 };
  }
  return derivedFrom(bytes, 'spec-text', () => specText(bytes.toString('utf8').replace(/^\uFEFF/, '')));
}

function specText(text: string): SpecText {
  const lines = text.split(/\r?\n/);
  const close = /^---/.test(lines[0] ?? '') ? lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l)) : -1;
  return { lines, bodyStart: close < 0 ? 0 : close + 1 };
}

export function bodyText(text: SpecText): string {
  return text.lines.slice(text.bodyStart).join('\n');
}

/** 1-based line of a top-level front-matter key, or 1 (the fence) when absent. */
export function frontMatterLine(text: SpecText, key: string): number {
  const end = text.bodyStart > 0 ? text.bodyStart : 0;
  const at = text.lines.slice(0, end).findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return at < 0 ? 1 : at + 1;
}

/** 1-based line of a field (`Output:`, `Export outputs:`) in an entry's block, or the entry heading's line. */
export function fieldLine(text: SpecText, entry: Entry, label: string): number {
  const field = new RegExp(`^\\s{0,3}(?:[-*+]\\s+)?(?:\\*\\*|__)?${label.replace(/ /g, '\\s+')}(?:\\*\\*|__)?\\s*:`, 'i');
  for (let i = entry.block.start + 1; i < Math.min(entry.block.end, text.lines.length); i++) if (field.test(text.lines[i])) return i + 1;
  return entry.line;
}

/** 1-based line of the first line at or after `from` (0-based) holding `needle`, or 0. */
export function lineOf(text: SpecText, needle: string, from = 0): number {
  const at = text.lines.findIndex((l, i) => i >= from && l.includes(needle));
  return at < 0 ? 0 : at + 1;
}
