import { JsonMemo, scriptJson } from './escape';

describe('scriptJson', () => {
  it('escapes <, U+2028 and U+2029, and parses back to the same value', () => {
    const value = { body: '</script><!-- a\u2028b\u2029c', n: [1, '<<'] };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<\u2028\u2029]/);
    expect(json).toContain('\\u003c/script>');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('is plain JSON.stringify when nothing needs escaping', () => {
    const value = { a: 'b', c: [1, 2, { d: '✓ — ·' }] };
    expect(scriptJson(value)).toBe(JSON.stringify(value));
  });

  it('with a memo, writes the same text, build after build', () => {
    const memo = new JsonMemo();
    const value = {
      version: 1,
      specs: [{ html: '<p>a</p>' }, { html: 'b\u2028' }, null],
      skipped: undefined,
      entries: [],
      paper: { x: '</script>' },
      n: 'plain',
    };
    for (let build = 0; build < 3; build++) expect(scriptJson(value, memo)).toBe(scriptJson(value));
    value.specs[0] = { html: '<p>changed</p>' };
    expect(scriptJson(value, memo)).toBe(scriptJson(value));
  });
});
