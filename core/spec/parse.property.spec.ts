import fc from 'fast-check';
import { isRuleId } from '../diagnostics/rules';
import { analyzeWorkspace } from '../workspace/analyze';
import { DEFAULT_OPTIONS } from '../workspace/types';
import { parseSpec } from './parse';

/**
 * Random specs built from the format's own pieces (front matter keys and
 * values, headings, field lines, code spans, fences, unicode, CRLF, a BOM,
 * long lines), and random workspaces of them: the parser and the workspace
 * analysis never throw, stay within a bounded time, and every diagnostic has
 * a file of the workspace, a line inside that file, and a registered rule.
 */
const word = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/);
const unicode = fc.string({ unit: 'grapheme', maxLength: 30 });
const nasty = fc.constantFrom(
  '',
  ' ',
  '\t',
  '`',
  '``',
  '```',
  '~~~',
  '---',
  '...',
  '#',
  '*',
  '**',
  '|',
  '\\',
  '\u0000',
  '\u202e',
  '€',
  '😀',
  '\r',
);
const text = fc.oneof(unicode, nasty, fc.string({ maxLength: 20 }), fc.constant('x'.repeat(5000)));
const stem = fc.constantFrom('compute-a', 'compute-b', 'report-c', 'defs', 'figure-d');

const frontMatterValue = fc.oneof(
  word,
  unicode.map((u) => JSON.stringify(u)),
  fc.constantFrom('[compute', '{a: 1}', '&a x', '*a', '!!binary aGk=', '!tag x', '', 'null', '[]', '- a\n  - b'),
  fc.array(word, { maxLength: 3 }).map((xs) => `[${xs.map((x) => `${x}.md`).join(', ')}]`),
);
const frontMatterKey = fc.constantFrom(
  'name',
  'kind',
  'depends_on',
  'host_doc',
  'section_label',
  'title',
  'depend_on',
  '__proto__',
  'constructor',
  'x y',
);
const frontMatter = fc
  .record({
    fence: fc.constantFrom('---', '---yaml', '---js', '--- ', '----', ''),
    kind: fc.constantFrom('compute', 'report', 'figure', 'definitions', 'meta', 'templates', 'unknown', ''),
    pairs: fc.array(fc.tuple(frontMatterKey, frontMatterValue), { maxLength: 5 }),
    close: fc.constantFrom('---', '...', '', '--- x'),
  })
  .map(({ fence, kind, pairs, close }) => [fence, `kind: ${kind}`, ...pairs.map(([k, v]) => `${k}: ${v}`), close]);

const fieldLabel = fc.constantFrom(
  'Script',
  'Output',
  'Export script',
  'Export outputs',
  'Status',
  'Run',
  'Workflows',
  'Keys',
  'Reads',
  'Scirpt',
  'Constructor',
  'Runner',
);
const fieldValue = fc.oneof(
  word.map((w) => `\`scripts/${w}.py\``),
  word.map((w) => `\`results/${w}/out.json\``),
  word.map((w) => `\`reports/${w}.tex\`, \`data/${w}.csv\``),
  fc.constantFrom('script ready', 'script TBD — later', '`a` and `b`', '`python3 x.py` && `y`', '../up', '/etc/passwd', '``', '`'),
  text,
);
const fieldLine = fc
  .tuple(fc.constantFrom('- ', '* ', '', '  - ', '- **'), fieldLabel, fc.constantFrom(':', ':**', '**:', ''), fieldValue)
  .map(([bullet, label, colon, value]) => `${bullet}${label}${colon} ${value}`);
const heading = fc
  .tuple(fc.constantFrom('#', '##', '###', '####', ' ###', '###'), fc.oneof(word, text, fc.constant('a'.repeat(300))))
  .map(([h, t]) => `${h} ${t}`);
const bodyLine = fc.oneof(
  { weight: 3, arbitrary: fieldLine },
  { weight: 2, arbitrary: heading },
  { weight: 1, arbitrary: fc.constantFrom('## Entry', '## Entries', '## Script', '```', '````', '~~~', '', '    code') },
  { weight: 1, arbitrary: text },
);
const specText = fc
  .record({
    bom: fc.boolean(),
    crlf: fc.boolean(),
    front: frontMatter,
    body: fc.array(bodyLine, { maxLength: 40 }),
  })
  .map(({ bom, crlf, front, body }) => `${bom ? '\uFEFF' : ''}${[...front, '', ...body].join(crlf ? '\r\n' : '\n')}`);

const lineCount = (t: string) => t.split(/\r?\n/).length;

function checkDiagnostics(diagnostics: readonly { file: string; line: number; rule: string }[], lines: Map<string, number>): void {
  for (const d of diagnostics) {
    expect(lines.has(d.file)).toBe(true);
    expect(d.line).toBeGreaterThanOrEqual(0);
    expect(d.line).toBeLessThanOrEqual(lines.get(d.file)!);
    expect(isRuleId(d.rule)).toBe(true);
  }
}

describe('the spec parser and the workspace analysis on random specs', () => {
  it('never throw, stay fast, and give every diagnostic a file, a line inside it and a registered rule', () => {
    fc.assert(
      fc.property(stem, specText, (s, t) => {
        const file = `specs/${s}.md`;
        const started = performance.now();
        const spec = parseSpec(file, `${s}.md`, Buffer.from(t));
        expect(performance.now() - started).toBeLessThan(2_000);
        checkDiagnostics(spec.diagnostics, new Map([[file, lineCount(t)]]));
      }),
      { numRuns: 400 },
    );
  });

  it('analyze workspaces of such specs, with depends_on between them, the same way', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(stem, specText), { selector: ([s]) => s, minLength: 1, maxLength: 5 }), (files) => {
        const specs = files.map(([s, t]) => parseSpec(`specs/${s}.md`, `${s}.md`, Buffer.from(t)));
        const started = performance.now();
        const model = analyzeWorkspace(specs, DEFAULT_OPTIONS);
        expect(performance.now() - started).toBeLessThan(2_000);
        const lines = new Map(files.map(([s, t]) => [`specs/${s}.md`, lineCount(t)]));
        for (const spec of model.specs) checkDiagnostics(spec.diagnostics, lines);
        for (const entry of model.entries.values()) expect(model.blocked.has(entry.specFile)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
