import { jsonSyntaxError } from './json-error';

const at = (text: string) => {
  const e = jsonSyntaxError(text);
  if (!e) return undefined;
  const before = text.slice(0, e.offset);
  return `${before.split('\n').length}:${before.length - before.lastIndexOf('\n')} ${e.expected}`;
};

describe('jsonSyntaxError', () => {
  it('agrees with JSON.parse on what is valid', () => {
    for (const t of ['{}', '[]', '{"a": [1, 2.5e-3, true, false, null, "x\\n\\u00e9"]}\n', ' 0 ', '"s"']) {
      expect(() => JSON.parse(t)).not.toThrow();
      expect(jsonSyntaxError(t)).toBeUndefined();
    }
    for (const t of ['garbage', '{', '{"a": 1,}', '[1 2]', '{"a" 1}', '{a: 1}', '"\\x"', '01', '{}x', '', '"a\nb"']) {
      expect(() => JSON.parse(t)).toThrow();
      expect(jsonSyntaxError(t)).toBeDefined();
    }
  });

  it('points at the first bad character, and an unexpected end at the end of the last line with text', () => {
    expect(at('garbage\n')).toBe('1:1 a value: an object, an array, a string, a number, true, false or null');
    const lines = ['{', ...Array.from({ length: 150 }, (_, i) => `  "e${i}": ${i},`), '  "last": 1', ''];
    expect(at(lines.join('\n'))).toBe("152:12 ',' or '}' after the property value");
    expect(at('{\n  "a": 1,\n  "b" 2\n}\n')).toBe("3:7 ':' after the property name");
    expect(at('{\n  "clean": {\n}\n')).toBe("3:2 ',' or '}' after the property value");
  });
});
