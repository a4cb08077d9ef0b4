import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth, with a trailing newline', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('keeps keys named after Object.prototype members as keys (JSON.parse makes them own keys)', () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "a": 3}');
    expect(JSON.parse(canonicalJson(parsed))).toEqual(parsed);
    expect(canonicalJson(parsed)).toContain('"__proto__": {');
  });
});
