import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { requireFreshDist } from '../__fixtures__/fresh-dist';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesHashed, hashFile, sha256 } from './sha256';
import { StatCache, withStatCache } from './stat-cache';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'specthis-stat-cache-'))));
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

const file = () => join(root, 'results', 'x.json');
const write = (text: string) => {
  fs.mkdirSync(join(root, 'results'), { recursive: true });
  writeFileSync(file(), text);
};
/**
 * Makes the file look settled: older than any hash taken from now on. Its ctime
 * cannot be set back, so the clock must move past it too (a tick of 1 ms, the
 * resolution the hashing moment is taken at), or the racy-git rule distrusts it.
 */
const settle = () => {
  utimesSync(file(), new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
  const ctimeMs = Number(statSync(file(), { bigint: true }).ctimeNs / 1_000_000n);
  while (Date.now() <= ctimeMs + 1);
};

describe('hashFile with the stat cache', () => {
  it('gives what a full hash gives, and reads an unchanged file no more once remembered', () => {
    write('{"a": 1}\n');
    settle();
    expect(withStatCache(root, () => hashFile(file()))).toEqual({ sha256: sha256('{"a": 1}\n'), size: 9 });
    const read = bytesHashed();
    expect(withStatCache(root, () => hashFile(file()))).toEqual({ sha256: sha256('{"a": 1}\n'), size: 9 });
    expect(bytesHashed()).toBe(read);
    // Without the cache, the same call reads the file.
    hashFile(file());
    expect(bytesHashed()).toBe(read + 9);
  });

  it('sees an edit of the same size whose mtime reads as before (a coarse clock), because the stat differs', () => {
    write('{"a": 1}\n');
    settle();
    const { mtime } = statSync(file());
    withStatCache(root, () => hashFile(file()));
    write('{"a": 2}\n');
    utimesSync(file(), mtime, mtime);
    expect(withStatCache(root, () => hashFile(file()))).toEqual({ sha256: sha256('{"a": 2}\n'), size: 9 });
  });

  it('never trusts a hash taken in the same clock tick as the file was written (the racy-git rule)', () => {
    write('{"a": 1}\n');
    const st = statSync(file(), { bigint: true });
    const cache = new StatCache(root);
    // Hashed at the very tick of the write: a second write in that tick would leave the same stat.
    cache.remember(file(), st, st.mtimeNs, 'recorded');
    expect(cache.lookup(file(), st)).toBeUndefined();
    cache.remember(file(), st, st.mtimeNs + 1_000_000n, 'recorded');
    expect(cache.lookup(file(), st)).toEqual({ sha256: 'recorded', size: 9 });
  });

  it('survives a torn cache file, and hashes everything again', () => {
    write('x');
    fs.mkdirSync(join(root, '.specthis', 'cache'), { recursive: true });
    writeFileSync(join(root, '.specthis', 'cache', 'hashes.json'), '{"version": "specthis-hashes/1", "files": {');
    expect(withStatCache(root, () => hashFile(file()))).toEqual({ sha256: sha256('x'), size: 1 });
  });

  it('streams a large file with memory that does not grow with it', () => {
    requireFreshDist();
    const big = join(root, 'big.bin');
    const block = Buffer.alloc(1024 * 1024, 7);
    const fd = fs.openSync(big, 'w');
    for (let i = 0; i < 256; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    // A process of its own, so the peak is this hash's and not the test runner's.
    const script = `const { hashFile } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'core', 'hash', 'sha256'))});
      const before = process.resourceUsage().maxRSS;
      const h = hashFile(process.argv[1]);
      console.log(JSON.stringify({ size: h.size, grew: process.resourceUsage().maxRSS - before }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script, big], { encoding: 'utf8' }));
    expect(out.size).toBe(256 * 1024 * 1024);
    // maxRSS is in KiB: a 256 MiB file through a 1 MiB chunk.
    expect(out.grew).toBeLessThan(16 * 1024);
  });
});
