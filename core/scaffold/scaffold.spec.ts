import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskFiles } from './disk';
import { writeUnlessPresent, type ScaffoldFiles } from './files';
import { scaffoldInit } from './init';
import { parseJsonc } from './jsonc';
import { registeredSpecsDir, registerPlugin } from './nx-json';
import { chooseSpecsDir } from './specs-dir';

/** ScaffoldFiles over a Map, so the logic is tested without a Tree or a disk. */
function memory(initial: Record<string, string> = {}): ScaffoldFiles & { files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  return {
    files,
    exists: (p) => files.has(p),
    read: (p) => files.get(p),
    write: (p, c) => void files.set(p, c),
    children: (dir) => [...files.keys()].filter((p) => (dir === '.' ? !p.includes('/') : p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'))).map((p) => p.replace(/^.*\//, '')),
  };
}

describe('parseJsonc', () => {
  it('accepts comments and trailing commas, and leaves strings alone', () => {
    const text = '{\n  // plugins\n  "plugins": ["a", /* b */ "http://x,]",],\n}\n';
    expect(parseJsonc(text)).toEqual({ plugins: ['a', 'http://x,]'] });
  });

  it('throws on what is not JSON', () => {
    expect(() => parseJsonc('{ plugins: [ }')).toThrow(SyntaxError);
  });
});

describe('registerPlugin', () => {
  it('adds the plugin once, keeping other plugins and keys', () => {
    const fs = memory({ 'nx.json': '{ "plugins": ["@nx/js"], "defaultBase": "main" }' });
    expect(registerPlugin(fs, 'research/specs', false)).toBe('registered');
    expect(registerPlugin(fs, 'research/specs', false)).toBe('already-registered');
    expect(JSON.parse(fs.read('nx.json')!)).toEqual({ plugins: ['@nx/js', { plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }], defaultBase: 'main' });
    expect(registeredSpecsDir(fs)).toBe('research/specs');
  });

  it('creates nx.json only when asked to', () => {
    expect(registerPlugin(memory(), 'specs', false)).toBe('no-nx-json');
    const fs = memory();
    expect(registerPlugin(fs, 'specs', true)).toBe('registered');
    expect(JSON.parse(fs.read('nx.json')!).plugins).toEqual([{ plugin: '@specthis/nx' }]);
  });

  it('names nx.json when it does not parse', () => {
    expect(() => registerPlugin(memory({ 'nx.json': '{' }), 'specs', true)).toThrow(/nx\.json is not valid JSON/);
  });
});

describe('chooseSpecsDir', () => {
  const normalize = (v: string) => v.replace(/^\.\//, '').replace(/\/$/, '');
  it('follows the registered directory and flags a different request', () => {
    expect(chooseSpecsDir(undefined, undefined, normalize)).toEqual({ specsDir: 'specs' });
    expect(chooseSpecsDir('./docs/specs/', undefined, normalize)).toEqual({ specsDir: 'docs/specs' });
    expect(chooseSpecsDir('docs/specs', 'other', normalize)).toEqual({ conflict: { registered: 'docs/specs', requested: 'other' } });
  });
});

describe('writeUnlessPresent and scaffoldInit', () => {
  it('keeps a file present in another letter case unless forced', () => {
    const fs = memory({ 'specs/readme.md': 'ours' });
    expect(writeUnlessPresent(fs, 'specs/README.md', 'new')).toEqual({ path: 'specs/readme.md', action: 'kept' });
    expect(writeUnlessPresent(fs, 'specs/README.md', 'new', true)).toEqual({ path: 'specs/readme.md', action: 'overwritten' });
    expect(fs.read('specs/readme.md')).toBe('new');
  });

  it('writes the docs and the .gitignore line on disk, once', () => {
    const root = mkdtempSync(join(tmpdir(), 'specthis-scaffold-'));
    try {
      const first = scaffoldInit(diskFiles(root), 'specs', { createNxJson: false });
      expect(first.registration).toBe('no-nx-json');
      expect(first.files.map((f) => `${f.action} ${f.path}`)).toEqual(['created specs/README.md', 'created specs/AGENTS.md', 'created .gitignore']);
      const second = scaffoldInit(diskFiles(root), 'specs', { createNxJson: false });
      expect(second.files.map((f) => f.action)).toEqual(['kept', 'kept']);
      expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('# specthis: receipts, logs, local caches\n.specthis/\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
