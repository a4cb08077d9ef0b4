import type { Node } from 'yaml';
import { diagnostic } from '../diagnostics/diagnostic';
import type { RuleId } from '../diagnostics/rules';
import type { Diagnostic } from './types';

export interface FrontMatter {
  /** Top-level keys with plain JSON values, in file order. */
  data: Record<string, unknown>;
  /** 1-based spec line of each top-level key. */
  keyLines: Record<string, number>;
  /** 1-based spec line of each item of a top-level sequence, by key. */
  itemLines: Record<string, number[]>;
  /** Index of the first body line (0-based). */
  bodyStart: number;
}

const EXAMPLE = '---\nname: compute-wages\nkind: compute\ndepends_on: [data/compute-clean.md]\n---';
const FENCE = /^---([A-Za-z0-9_-]*)\s*$/;
const CLOSE = /^(---|\.\.\.)\s*$/;

/**
 * Splits and parses YAML front matter as data only. Nothing is evaluated: a
 * `---js` or `---coffee` fence is refused (gray-matter would run it), custom tags
 * are refused, aliases are refused (no billion laughs), and the spec size is
 * already bounded by the decoder.
 */
export function parseFrontMatter(file: string, lines: string[]): { frontMatter?: FrontMatter; diagnostics: Diagnostic[] } {
  const open = FENCE.exec(lines[0] ?? '');
  if (!open) {
    return fail(file, 1, 'spec does not start with YAML front matter', 'front-matter-missing', lines[0] ?? '');
  }
  const language = open[1].toLowerCase();
  if (language && language !== 'yaml' && language !== 'yml') {
    return fail(
      file,
      1,
      `front matter fence declares language "${open[1]}"; only YAML is read and nothing is ever executed`,
      'front-matter-language',
      lines[0],
    );
  }
  const close = lines.findIndex((l, i) => i > 0 && CLOSE.test(l));
  if (close < 0) return fail(file, 1, 'front matter is never closed by a `---` line', 'front-matter-unclosed', lines[0]);
  const plain = readPlainFrontMatter(lines, close);
  return plain ? { frontMatter: plain, diagnostics: [] } : parseYamlFrontMatter(file, lines, close);
}

/** yaml, loaded on first use: most specs never need it (readPlainFrontMatter), and loading it is ~40 ms of a cold graph. */
const yaml = (): typeof import('yaml') => require('yaml');

/**
 * The YAML half of parseFrontMatter: lines 1 to `close` (the closing fence) of
 * a spec whose fences are already checked. Exported so a test can hold
 * readPlainFrontMatter to it.
 */
export function parseYamlFrontMatter(
  file: string,
  lines: string[],
  close: number,
): { frontMatter?: FrontMatter; diagnostics: Diagnostic[] } {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const source = lines.slice(1, close).join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(source, {
    lineCounter: counter,
    uniqueKeys: true,
    prettyErrors: false,
    schema: 'core',
    customTags: [],
    strict: true,
  });
  const lineAt = (offset: number) => counter.linePos(offset).line + 1; // +1 for the opening fence
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    diagnostics.push(
      diagnostic('spec', file, {
        line: lineAt(e.pos[0]),
        reason: `front matter is not valid YAML: ${e.message.split('\n')[0]}`,
        rule: 'front-matter-yaml',
        expected: EXAMPLE,
      }),
    );
  }
  if (diagnostics.length) return { diagnostics };
  const contents = doc.contents;
  if (contents === null) return { frontMatter: { data: {}, keyLines: {}, itemLines: {}, bodyStart: close + 1 }, diagnostics };
  if (!isMap(contents)) return fail(file, 2, 'front matter must be a mapping of keys to values', 'front-matter-shape', source);

  const unsafe = findUnsafeNode(contents);
  if (unsafe) {
    return fail(
      file,
      lineAt(unsafe.node.range?.[0] ?? 0),
      `front matter uses a YAML ${unsafe.what}; specs hold plain data only`,
      'front-matter-yaml',
      unsafe.text,
    );
  }
  const data = doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>;
  // Keyed by the spec's own keys: no prototype, so a `__proto__:` or `constructor:` key is reported as unknown, not inherited.
  const frontMatter: FrontMatter = { data, keyLines: Object.create(null), itemLines: Object.create(null), bodyStart: close + 1 };
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    frontMatter.keyLines[key] = lineAt((pair.key as Node | null)?.range?.[0] ?? 0);
    if (isSeq(pair.value)) frontMatter.itemLines[key] = pair.value.items.map((it) => lineAt((it as Node).range?.[0] ?? 0));
  }
  return { frontMatter, diagnostics };
}

/** Top-level keys the fast path reads: lower-case words, none that YAML's core schema reads as null or a boolean, none an object inherits. */
const PLAIN_KEY = /^[a-z_]{1,64}$/;
/** A plain scalar YAML reads as that very string in block and flow context alike (no `:`, `#`, `,`, quote or bracket; no leading digit, dot or sign). */
const PLAIN_SCALAR = /^[A-Za-z_/][A-Za-z0-9_./ -]*(?<! )$/;
/** The same outside a list, where a `:` that is not followed by a space or the line's end is part of the string: LaTeX labels such as `sec:wages`. */
const PLAIN_BLOCK_SCALAR = /^[A-Za-z_/](?:[A-Za-z0-9_./ -]|:(?=[A-Za-z0-9_./-]))*(?<! )$/;
const NOT_STRINGS = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const PLAIN_LINE = /^([a-z_]+): +(.*)$/;
const FLOW_SEQUENCE = /^\[ *(.*?) *\]$/;

const plainString = (s: string, pattern = PLAIN_SCALAR) => pattern.test(s) && !NOT_STRINGS.test(s);

/**
 * The front matter specs almost always have, read without YAML: every line is
 * blank or `key: value`, each value a plain string or a one-line `[a, b]` of
 * plain strings. Anything else (a comment, a quote, a number, an indented or
 * repeated key, ...) returns undefined and goes to YAML. Where it answers, the
 * answer is the one YAML gives (core/spec/front-matter.spec.ts holds it to
 * parseYamlFrontMatter on random front matter). 1,000 front matters in a new
 * process: 8 ms, against 195 ms through YAML, which was a third of a cold
 * project graph's spec parsing (bench/README.md, "Cold under 1.5x").
 */
export function readPlainFrontMatter(lines: string[], close: number): FrontMatter | undefined {
  const data: Record<string, unknown> = {};
  const keyLines: Record<string, number> = Object.create(null);
  const itemLines: Record<string, number[]> = Object.create(null);
  for (let i = 1; i < close; i++) {
    const text = lines[i];
    if (/^ *$/.test(text)) continue;
    const pair = PLAIN_LINE.exec(text);
    if (!pair) return undefined;
    const [, key, value] = pair;
    if (!PLAIN_KEY.test(key) || NOT_STRINGS.test(key) || key in Object.prototype || key in keyLines) return undefined;
    const line = i + 1;
    const flow = FLOW_SEQUENCE.exec(value);
    if (flow) {
      const items = flow[1] === '' ? [] : flow[1].split(/ *, */);
      if (!items.every((item) => plainString(item))) return undefined;
      data[key] = items;
      itemLines[key] = items.map(() => line);
    } else if (plainString(value, PLAIN_BLOCK_SCALAR)) {
      data[key] = value;
    } else {
      return undefined;
    }
    keyLines[key] = line;
  }
  // An empty front matter is YAML's null document: let YAML say so.
  return Object.keys(keyLines).length ? { data, keyLines, itemLines, bodyStart: close + 1 } : undefined;
}

/** Explicit tags (`!!binary`, `!custom`) and anchors/aliases are refused so parsing stays plain data. */
function findUnsafeNode(node: unknown): { node: Node; what: string; text: string } | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  // An alias (`*a`), even one whose anchor is missing: toJS would throw on it.
  if (isAlias(node)) return { node, what: `alias *${node.source}`, text: `*${node.source}` };
  if (isScalar(node) || isMap(node) || isSeq(node)) {
    if (node.tag && !/^tag:yaml\.org,2002:(str|int|float|bool|null|seq|map)$/.test(node.tag))
      return { node, what: `tag ${node.tag}`, text: node.tag };
    if (node.anchor) return { node, what: `anchor &${node.anchor}`, text: `&${node.anchor}` };
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const found = findUnsafeNode(pair.key) ?? findUnsafeNode(pair.value);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = findUnsafeNode(item);
      if (found) return found;
    }
  }
  return undefined;
}

function fail(file: string, line: number, reason: string, rule: RuleId, received: string) {
  return { diagnostics: [diagnostic('spec', file, { line, reason, rule, expected: EXAMPLE, received })] };
}
