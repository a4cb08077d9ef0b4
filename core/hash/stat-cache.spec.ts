import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { requireFreshDist } from '../__fixtures__/fresh-dist';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as clock from '../fs/clock';
import { bytesHashed, hashFile, sha256 } from './sha256';
import { STAT_CACHE_FILE, StatCache, withStatCache } from './stat-cache';

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
 * cannot be set back, so both clocks the hashing moment is read from must move
 * past it (the machine's, at 1 ms resolution, and the file system's), or the
 * racy-git rule distrusts it.
 */
const settle = () => {
  utimesSync(file(), new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
  const ctimeNs = statSync(file(), { bigint: true }).ctimeNs;
  while (BigInt(Date.now()) * 1_000_000n <= ctimeNs + 1_000_000n || (clock.fileSystemNow(root)?.ns ?? ctimeNs + 1n) <= ctimeNs);
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

  it("takes the hashing moment off the file system's clock when the machine's runs ahead of it", () => {
    write('{"a": 1}\n');
    settle();
    // An NFS server behind the client, or Linux's coarse file stamps a tick behind Date.now().
    const aheadMs = Date.now() + 60_000;
    jest.spyOn(Date, 'now').mockReturnValue(aheadMs);
    withStatCache(root, () => hashFile(file()));
    // Every write after the hash began must carry a stamp no older than the recorded moment: else a
    // same-size edit stamped so would pass for the file that was hashed.
    writeFileSync(join(root, 'later'), 'x');
    const later = statSync(join(root, 'later'), { bigint: true }).mtimeNs;
    const recorded = BigInt(JSON.parse(readFileSync(join(root, STAT_CACHE_FILE), 'utf8')).files[file()].hashedAtNs);
    expect(recorded <= later).toBe(true);
    expect(recorded < BigInt(aheadMs) * 1_000_000n).toBe(true);
    // And the settled file is still trusted: it is not read again.
    const read = bytesHashed();
    expect(withStatCache(root, () => hashFile(file()))).toEqual({ sha256: sha256('{"a": 1}\n'), size: 9 });
    expect(bytesHashed()).toBe(read);
  });

  it("reads the clock in the file's own directory when no state directory can be made (a read-only checkout)", () => {
    write('x');
    settle();
    writeFileSync(join(root, '.specthis'), 'a file where the state directory would be');
    const reads = jest.spyOn(clock, 'fileSystemNow');
    const moment = new StatCache(root).momentBefore(statSync(file(), { bigint: true }), file());
    expect(reads).toHaveBeenLastCalledWith(join(root, 'results'));
    expect(moment > 0n).toBe(true);
  });

  it("reads the file system's clock again when the machine's clock steps back", () => {
    write('x');
    settle();
    const st = statSync(file(), { bigint: true });
    const reads = jest.spyOn(clock, 'fileSystemNow');
    const cache = new StatCache(root);
    cache.momentBefore(st, file());
    cache.momentBefore(st, file());
    // A settled file and a fresh reading: one clock file for both.
    expect(reads).toHaveBeenCalledTimes(1);
    // An NTP step back by an hour: the reading may now be ahead of the stamps that follow.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() - 3_600_000);
    cache.momentBefore(st, file());
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it("reads the clock of the file's own device, and trusts nothing on a device whose clock it cannot read", () => {
    write('x');
    settle();
    const st = statSync(file(), { bigint: true });
    const reads = jest.spyOn(clock, 'fileSystemNow');
    // A device neither the state directory nor the file's directory is on.
    expect(new StatCache(root).momentBefore({ ...st, dev: st.dev + 1n } as typeof st, file())).toBe(0n);
    expect(reads).toHaveBeenLastCalledWith(join(root, 'results'));
    // A real second device, where the machine has one: a directory of the workspace linked to tmpfs.
    const shm = '/dev/shm';
    if (!fs.existsSync(shm) || statSync(shm).dev === statSync(root).dev) return;
    const away = fs.mkdtempSync(join(shm, 'specthis-stat-cache-'));
    try {
      fs.symlinkSync(away, join(root, 'mounted'));
      const there = join(root, 'mounted', 'y.json');
      writeFileSync(there, 'y');
      const moment = new StatCache(root).momentBefore(statSync(there, { bigint: true }), there);
      expect(reads).toHaveBeenLastCalledWith(join(root, 'mounted'));
      expect(moment > 0n).toBe(true);
    } finally {
      rmSync(away, { recursive: true, force: true });
    }
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
