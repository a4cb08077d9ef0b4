import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import fg from 'fast-glob';
import { parseYamlFrontMatter, readPlainFrontMatter } from './front-matter';

/** A front matter as parseFrontMatter sees it: the fences around the lines. */
const withFences = (body: string[]) => ['---', ...body, '---', '', '# Body'];

/**
 * Where the fast path answers, it must give YAML's answer exactly: the data,
 * each key's line, each item's line. Random front matter is built from the
 * forms specs use and from the near misses YAML reads differently (numbers,
 * booleans, nulls, quotes, comments, indentation, flow oddities).
 */
const plainWord = fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./ -]{0,14}$/);
const labelWord = fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./: -]{0,14}$/);
const value = fc.oneof(
  { weight: 4, arbitrary: plainWord },
  { weight: 2, arbitrary: labelWord },
  { weight: 2, arbitrary: fc.array(plainWord, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      'Null',
      'NULL',
      'nULL',
      '~',
      'true',
      'True',
      'TRUE',
      'tRUE',
      'false',
      'yes',
      'no',
      'on',
      'off',
      '2024',
      '2024 extract',
      '1e3',
      '.inf',
      '-.5',
      '0x1f',
      '0o17',
      '+1',
      '-x',
      '/abs/path.md',
      'a: b',
      'a:b',
      'sec:wages-2',
      'a::b',
      'a :b',
      'a: ',
      'http://example.org/a',
      'a:b:',
      'a:#b',
      '[sec:a]',
      '[a, b:c]',
      'a:',
      'a #c',
      'a#c',
      "'q'",
      '"q"',
      'a  b',
      'a ',
      'a\t',
      '[a, b]',
      '[ a ,b ]',
      '[]',
      '[ ]',
      '[a,]',
      '[,a]',
      '[a, [b]]',
      '[a b, c]',
      '[a: b]',
      '[a, "b"]',
      '[true, null]',
      '[1, 2]',
      '[a',
      'a]',
      '{a: 1}',
      '&x a',
      '*x',
      '!x a',
      '!!str a',
      '|',
      '>',
      '? a',
      '@a',
      '`a`',
      '%a',
      'a,b',
      'a- b',
      'a -',
      '- a',
      'é',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const key = fc.constantFrom(
  'name',
  'kind',
  'depends_on',
  'title',
  'host_doc',
  'section_label',
  'null',
  'true',
  'True',
  'Name',
  '__proto__',
  'constructor',
  'x-y',
  'a'.repeat(70),
  '_',
);
const separator = fc.constantFrom(': ', ':  ', ':', ' : ', ':\t');
const usual = fc
  .tuple(
    fc.constantFrom('name', 'kind', 'depends_on', 'title'),
    fc.oneof(
      plainWord,
      fc.array(plainWord, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    ),
  )
  .map(([k, v]) => `${k}: ${v}`);
const line = fc.oneof(
  { weight: 6, arbitrary: usual },
  { weight: 4, arbitrary: fc.tuple(key, separator, value).map(([k, s, v]) => `${k}${s}${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '  ', '# a comment', '  indented: x', '- item', '%YAML 1.2', '  continued', 'name: a # c') },
);

describe('readPlainFrontMatter', () => {
  it('answers only where YAML gives the same data and lines, and answers often', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (body) => {
        const lines = withFences(body);
        const close = body.length + 1;
        const plain = readPlainFrontMatter(lines, close);
        if (!plain) return;
        answered++;
        const yaml = parseYamlFrontMatter('specs/x.md', lines, close);
        expect(yaml.diagnostics).toEqual([]);
        expect(plain).toStrictEqual(yaml.frontMatter);
      }),
      { numRuns: 3000 },
    );
    // A fast path that never answers would pass the property above: it must carry a real share.
    expect(answered).toBeGreaterThan(300);
  });

  it('reads the front matter of every example and fixture spec YAML accepts, as YAML does', () => {
    const root = join(__dirname, '../..');
    const files = fg.sync(['examples/research/specs/**/*.md', 'core/**/__fixtures__/**/*.md', 'templates/**/*.md'], { cwd: root });
    let answered = 0;
    for (const file of files) {
      const lines = readFileSync(join(root, file), 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/);
      const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
      if (!/^---\s*$/.test(lines[0]) || close < 0) continue;
      const plain = readPlainFrontMatter(lines, close);
      if (!plain) continue;
      answered++;
      expect({ file, ...parseYamlFrontMatter(file, lines, close) }).toStrictEqual({ file, frontMatter: plain, diagnostics: [] });
    }
    expect(answered).toBeGreaterThan(10);
  });

  it('reads the usual front matter, flow lists and LaTeX labels included, with each key and item at its line', () => {
    const lines = withFences([
      'name: report-wages',
      'kind: report',
      '',
      'depends_on: [data/compute-clean.md, compute-a.md]',
      'title: Wages by region',
      'section_label: sec:wages',
    ]);
    expect(readPlainFrontMatter(lines, 7)).toStrictEqual({
      data: {
        name: 'report-wages',
        kind: 'report',
        depends_on: ['data/compute-clean.md', 'compute-a.md'],
        title: 'Wages by region',
        section_label: 'sec:wages',
      },
      keyLines: Object.assign(Object.create(null), { name: 2, kind: 3, depends_on: 5, title: 6, section_label: 7 }),
      itemLines: Object.assign(Object.create(null), { depends_on: [5, 5] }),
      bodyStart: 8,
    });
  });

  it.each([
    ['a number', 'title: 2024'],
    ['a boolean', 'title: true'],
    ['a quote', 'title: "Wages"'],
    ['a comment', 'title: Wages # draft'],
    ['a colon and a space', 'title: Wages: by region'],
    ['a colon in a list', 'depends_on: [sec:a]'],
    ['a repeated key', 'kind: compute\nkind: report'],
    ['an indented line', 'title: Wages\n  by region'],
    ['a block list', 'depends_on:\n  - a.md'],
    ['an inherited key', '__proto__: x'],
    ['no key at all', ''],
  ])('leaves %s to YAML', (_what, text) => {
    const body = text.split('\n');
    expect(readPlainFrontMatter(withFences(body), body.length + 1)).toBeUndefined();
  });
});
