import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { parseSpec } from './parse';

/**
 * remark-style fixtures: `__fixtures__/<case>/input.md` and the parse it must give
 * in `expected.json`. `UPDATE_FIXTURES=1` rewrites the expectations; review the diff.
 */
const fixtures = join(__dirname, '__fixtures__');
const cases = readdirSync(fixtures).sort();

describe('parseSpec fixtures', () => {
  it.each(cases)('%s', (name) => {
    const bytes = readFileSync(join(fixtures, name, 'input.md'));
    const spec = parseSpec(`specs/${name}.md`, `${name}.md`, bytes);
    const expectedPath = join(fixtures, name, 'expected.json');
    const actual = JSON.parse(JSON.stringify(spec));
    if (process.env.UPDATE_FIXTURES) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    // A missing expectation is a failure, never a file written and passed: UPDATE_FIXTURES=1 writes it, for review.
    if (!existsSync(expectedPath)) throw new Error(`${expectedPath} is missing; run with UPDATE_FIXTURES=1 and review what it writes`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
});

describe('parseSpec safety', () => {
  it('never evaluates a ---js front matter', () => {
    const spec = parseSpec('specs/x.md', 'x.md', readFileSync(join(fixtures, 'front-matter-js', 'input.md')));
    expect(existsSync('/tmp/specthis-pwned')).toBe(false);
    expect(spec.diagnostics.map((d) => d.rule)).toEqual(['front-matter-language']);
  });

  it('refuses a 10 MB spec with one clear diagnostic', () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 'a');
    const spec = parseSpec('specs/big.md', 'big.md', big);
    expect(spec.diagnostics).toHaveLength(1);
    expect(formatDiagnostic(spec.diagnostics[0])).toMatch(
      /^specs\/big\.md: error: spec is 10\.0 MiB; specs are read only up to 1 MiB \[spec-too-large\]/,
    );
  });

  it('bounds YAML alias expansion', () => {
    const spec = parseSpec('specs/a.md', 'a.md', readFileSync(join(fixtures, 'front-matter-anchor', 'input.md')));
    expect(spec.diagnostics[0].rule).toBe('front-matter-yaml');
    expect(spec.diagnostics[0].line).toBe(4);
  });

  it('gives every diagnostic a place, a rule and the right form', () => {
    for (const name of cases) {
      const spec = parseSpec(`specs/${name}.md`, `${name}.md`, readFileSync(join(fixtures, name, 'input.md')));
      for (const d of spec.diagnostics) {
        expect(d.file).toBe(`specs/${name}.md`);
        expect(d.rule).toMatch(/^[a-z-]+$/);
        expect(d.expected).toBeTruthy();
      }
    }
  });
});

describe('fenced examples inside an entry', () => {
  const spec = (body: string) =>
    parseSpec('specs/compute-x.md', 'compute-x.md', Buffer.from(`---\nname: compute-x\nkind: compute\n---\n\n## Entry\n\n### x\n${body}`));

  it('reads a ``` block inside a ```` block as one example, not as fields', () => {
    const s = spec(
      [
        '- Script: `scripts/x.py`',
        '- Output: `results/compute-x-x/out.json`',
        '- Status: script ready',
        '',
        'How another entry would say it:',
        '',
        '````markdown',
        '```text',
        '- Script: `scripts/other.py`',
        '```',
        '- Status: script TBD',
        '````',
        '',
      ].join('\n'),
    );
    expect(s.diagnostics).toEqual([]);
    expect(s.entries[0]).toMatchObject({ script: 'scripts/x.py', status: 'script ready' });
  });

  it('closes a fence only with a line of the same character, at least as long, and nothing else', () => {
    const s = spec(
      [
        '- Status: script ready',
        '~~~',
        '- Script: `in-tilde.py`',
        '```',
        '~~~',
        '- Script: `scripts/x.py`',
        '- Output: `results/compute-x-x/o.json`',
      ].join('\n'),
    );
    expect(s.diagnostics).toEqual([]);
    expect(s.entries[0].script).toBe('scripts/x.py');
  });
});

describe('keys named after Object.prototype members', () => {
  it('reads a field labelled `Constructor:` as an unknown field, not a field of the prototype', () => {
    const s = parseSpec(
      'specs/compute-x.md',
      'compute-x.md',
      Buffer.from(
        '---\nname: compute-x\nkind: compute\n---\n\n## Entry\n\n### x\n- Script: `s.py`\n- Constructor: `y`\n- Output: `results/compute-x-x/o.json`\n- Status: script ready\n',
      ),
    );
    expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(s.entries[0]).toMatchObject({ name: 'x', script: 's.py', outputs: ['results/compute-x-x/o.json'] });
  });

  it('reports a `__proto__:` front matter key as unknown, at its line', () => {
    const s = parseSpec('specs/x.md', 'x.md', Buffer.from('---\nname: x\nkind: definitions\n__proto__: 1\n---\nText\n'));
    expect(s.diagnostics.map((d) => [d.rule, d.line])).toEqual([['front-matter-unknown-key', 4]]);
  });
});

describe('front matter aliases', () => {
  it('refuses an alias whose anchor is missing, as data it cannot read (found by the property test)', () => {
    const s = parseSpec('specs/compute-a.md', 'compute-a.md', Buffer.from('---\nkind: compute\nname: *a\n---\n'));
    expect(s.diagnostics.map((d) => [d.rule, d.line])).toEqual([['front-matter-yaml', 3]]);
  });
});
