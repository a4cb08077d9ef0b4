import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderJson, runAudit } from '../audit';
import { loadWorkspace } from '../workspace/load';
import { FileCache } from './file-cache';
import { derivedFrom, globFiles, readBytes, readUtf8, statFile } from './read';
import { copyExample } from '../../scripts/example-copy';

jest.setTimeout(60_000);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specthis-file-cache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('FileCache', () => {
  it('serves reads from memory until the path is invalidated', () => {
    const file = join(root, 'a.txt');
    writeFileSync(file, 'one');
    const cache = new FileCache(root);
    expect(cache.run(() => readUtf8(file))).toBe('one');
    writeFileSync(file, 'two!');
    expect(cache.run(() => [readUtf8(file), statFile(file).size])).toEqual(['one', 3]);
    expect(readUtf8(file)).toBe('two!');
    cache.invalidate(['a.txt'], false);
    expect(cache.run(() => [readUtf8(file), statFile(file).size])).toEqual(['two!', 4]);
  });

  it('remembers a missing file as missing, and rethrows the same error', () => {
    const cache = new FileCache(root);
    const read = () => cache.run(() => readUtf8(join(root, 'later.txt')));
    const kind = () => cache.run(() => statFile(join(root, 'later.txt')).kind);
    expect(read).toThrow(/ENOENT/);
    expect(kind()).toBe('absent');
    writeFileSync(join(root, 'later.txt'), 'here');
    expect(read).toThrow(/ENOENT/);
    expect(kind()).toBe('absent');
    cache.invalidate([join(root, 'later.txt')]);
    expect(read()).toBe('here');
  });

  it('forgets everything beneath an invalidated directory', () => {
    mkdirSync(join(root, 'd/e'), { recursive: true });
    writeFileSync(join(root, 'd/e/f.txt'), 'old');
    const cache = new FileCache(root);
    cache.run(() => readUtf8(join(root, 'd/e/f.txt')));
    writeFileSync(join(root, 'd/e/f.txt'), 'new');
    cache.invalidate(['d']);
    expect(cache.run(() => readUtf8(join(root, 'd/e/f.txt')))).toBe('new');
  });

  it('keeps directory listings until a structural change', () => {
    writeFileSync(join(root, 'a.md'), '');
    const cache = new FileCache(root);
    const list = () => cache.run(() => globFiles('*.md', root, {}));
    expect(list()).toEqual(['a.md']);
    writeFileSync(join(root, 'b.md'), '');
    cache.invalidate(['a.md'], false);
    expect(list()).toEqual(['a.md']);
    cache.invalidate(['b.md'], true);
    expect(list().sort()).toEqual(['a.md', 'b.md']);
  });

  it('derives once per read of the bytes, and again after the file changed', () => {
    const file = join(root, 'x.json');
    writeFileSync(file, '1');
    const cache = new FileCache(root);
    let computed = 0;
    const derive = () =>
      cache.run(() => {
        const bytes = readBytes(file);
        return derivedFrom(bytes, 'n', () => (computed++, Number(bytes.toString())));
      });
    expect([derive(), derive()]).toEqual([1, 1]);
    expect(computed).toBe(1);
    writeFileSync(file, '2');
    cache.invalidate([file], false);
    expect(derive()).toBe(2);
    expect(computed).toBe(2);
    // Outside run(): computed every time, from disk.
    expect(derivedFrom(Buffer.from('3'), 'n', () => 'direct')).toBe('direct');
  });

  it('gives the same audit as the disk, before and after an invalidated change', () => {
    copyExample(root);
    const audit = () => renderJson(runAudit(root, loadWorkspace(root)).result);
    const cache = new FileCache(root);
    expect(cache.run(audit)).toBe(audit());
    expect(cache.run(audit)).toBe(audit());
    execFileSync('python3', ['scripts/clean_panel.py'], { cwd: root, stdio: 'ignore' });
    const spec = join(root, 'specs/data/compute-clean.md');
    writeFileSync(spec, readUtf8(spec).replace('Status: script ready', 'Status: script TBD'));
    const stale = cache.run(audit);
    expect(stale).not.toBe(audit());
    cache.invalidate(['specs/data/compute-clean.md', 'results'], true);
    expect(cache.run(audit)).toBe(audit());
  });
});
