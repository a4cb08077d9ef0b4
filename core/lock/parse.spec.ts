import { formatLock } from './format';
import { LockFileError } from './errors';
import { parseLock } from './parse';
import type { Lock, LockRecord } from './types';

const H = (c: string) => c.repeat(64);
const record = (over: Partial<LockRecord> = {}): LockRecord => ({
  inputs_certified: H('a'),
  framing: 'specthis-inputs/1',
  components: [
    { role: 'script', path: 'scripts/fit.py', sha256: H('c') },
    { role: 'spec-shared', path: 'specs/fit.md', sha256: H('b') },
    { role: 'entry-block', path: 'specs/fit.md#fit', sha256: 'missing' },
  ],
  depends_on: ['z.md', 'compute-clean.md'],
  author: 'Ada',
  ts: '2026-01-01T00:00:00.000Z',
  ...over,
});
const FILE = 'specs/_lock.json';
const error = (text: string): LockFileError => {
  try {
    parseLock(text, FILE);
  } catch (e) {
    if (e instanceof LockFileError) return e;
    throw e;
  }
  throw new Error('parsed without error');
};

describe('formatLock', () => {
  it('sorts entries, orders each record and its components, and ends with a newline', () => {
    const text = formatLock({ 'fit-b': record(), 'fit-a': { ...record(), ts: 'x' } as LockRecord });
    expect(Object.keys(JSON.parse(text))).toEqual(['fit-a', 'fit-b']);
    expect(Object.keys(JSON.parse(text)['fit-b'])).toEqual(['inputs_certified', 'framing', 'components', 'depends_on', 'author', 'ts']);
    expect(JSON.parse(text)['fit-b'].components.map((c: { role: string }) => c.role)).toEqual(['spec-shared', 'entry-block', 'script']);
    expect(JSON.parse(text)['fit-b'].depends_on).toEqual(['compute-clean.md', 'z.md']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "fit-a": {');
  });

  it('gives the same bytes for the same lock, whatever order it was built in', () => {
    const a: Lock = { x: record(), y: record({ author: 'Bo' }) };
    const b: Lock = { y: record({ author: 'Bo' }), x: record() };
    expect(formatLock(a)).toBe(formatLock(b));
    expect(parseLock(formatLock(a), FILE)).toEqual(JSON.parse(formatLock(a)));
  });
});

describe('parseLock', () => {
  it('reads {} as nothing certified and keeps an entry named like an Object property', () => {
    expect(parseLock('{}\n', FILE)).toEqual({});
    expect(Object.keys(parseLock(formatLock({ constructor: record() }), FILE))).toEqual(['constructor']);
  });

  it('names the line and column of invalid JSON', () => {
    const e = error('{\n  "fit": {\n    "author": "Ada",\n  }\n}\n');
    expect(e.message).toMatch(
      /^specs\/_lock\.json:4:3: error: not valid JSON: Expected double-quoted property name \[lock-json\]\n  expected: a JSON object of entry records/,
    );
    expect([e.file, e.diagnostic.line, e.diagnostic.column]).toEqual([FILE, 4, 3]);
  });

  it('calls an empty file empty', () => {
    expect(error('\n').message).toMatch(
      /^specs\/_lock\.json: error: the file is empty \[lock-json\]\n  expected: \{\} \(no entry certified\), or delete the file/,
    );
  });

  it('finds merge conflict markers before anything else', () => {
    const text = formatLock({ fit: record() }).replace(
      '"author": "Ada"',
      '<<<<<<< HEAD\n    "author": "Ada",\n=======\n    "author": "Bo",\n>>>>>>> theirs',
    );
    expect(error(text).message).toMatch(
      /^specs\/_lock\.json:\d+:1: error: unresolved merge conflict markers \[lock-merge-conflict\]\n  expected: keep every record from both sides/,
    );
  });

  it('refuses a lock that is not an object, a key that is not an entry name, and a duplicated entry', () => {
    expect(error('[]').message).toMatch(
      /^specs\/_lock\.json:1:1: error: the lock must be a JSON object keyed by entry name \[lock-shape\]/,
    );
    const schema = `{\n  "$schema": "x",\n${formatLock({ fit: record() }).slice(2)}`;
    expect(error(schema).message).toMatch(
      /^specs\/_lock\.json:2:3: error: top-level key "\$schema" is not an entry name; the lock holds only entry records at the top level \[lock-entry-name\]/,
    );
    const one = formatLock({ fit: record() }).slice(1, -2);
    expect(error(`{${one},${one}}`).message).toMatch(
      /:\d+:3: error: entry "fit" has two records \(a merge that kept both sides\?\) \[lock-duplicate-entry\]/,
    );
  });

  it('names the record and field that is wrong, and shows a right record', () => {
    const broken = (r: unknown) => error(JSON.stringify({ fit: r }, null, 2)).message;
    expect(broken({ ...record(), inputs_certified: 'abc' })).toMatch(
      /^specs\/_lock\.json:3:5: error: record of "fit": "inputs_certified" must be 64 lowercase hex digits \[lock-record\]\n  expected: "<entry>": \{ "inputs_certified": "<64 hex>".*\n  received: "abc"\n  docs: specs\/README\.md#lock-record$/,
    );
    const { author, ...noAuthor } = record();
    expect(broken(noAuthor)).toMatch(/^specs\/_lock\.json:2:3: error: record of "fit": lacks "author"/);
    expect(broken({ ...record(), autor: 'x' })).toMatch(
      /error: record of "fit": unknown key "autor" \(a record has exactly inputs_certified, framing, components, depends_on, author, ts\)/,
    );
    expect(broken({ ...record(), components: [{ role: 'data', path: 'a', sha256: H('a') }] })).toMatch(
      /error: record of "fit": component \{"role":"data".*\} is not \{ role: spec-shared\|entry-block\|script\|workflow\|run-file, path, sha256: <64 hex> \| "missing" \}/,
    );
    expect(broken({ ...record(), depends_on: 'a.md' })).toMatch(/"depends_on" must be a list of spec paths/);
    expect(broken({ ...record(), ts: '' })).toMatch(/"ts" must be a non-empty string/);
    expect(broken('yes')).toMatch(/record of "fit": must be an object/);
    expect(author).toBe('Ada');
  });
});

describe('parseLock places syntax errors where they are', () => {
  const place = (text: string) => {
    try {
      parseLock(text, 'specs/_lock.json');
    } catch (e) {
      return (e as Error).message.split('\n')[0];
    }
    return 'parsed';
  };

  it('names the last line of a lock cut short, not the line below it', () => {
    const lines = ['{', ...Array.from({ length: 150 }, (_, i) => `  "e${i}": {},`), '  "last": {}', ''];
    expect(lines).toHaveLength(153);
    expect(place(lines.join('\n'))).toBe(
      "specs/_lock.json:152:13: error: not valid JSON: Expected ',' or '}' after property value [lock-json]",
    );
  });

  it('names line 1, column 1 for a file that is not JSON at all', () => {
    expect(place('garbage\n')).toBe(
      'specs/_lock.json:1:1: error: not valid JSON: expected a value: an object, an array, a string, a number, true, false or null [lock-json]',
    );
  });
});
