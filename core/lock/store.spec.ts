import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockFileError } from './errors';
import { withExclusiveFile } from './mutex';
import { readLock, updateLock } from './store';
import type { LockRecord } from './types';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specthis-lock-'));
  mkdirSync(join(root, 'specs'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const lockFile = () => join(root, 'specs/_lock.json');
const mutexFile = () => `${lockFile()}.lock`;
const rec = (author: string): LockRecord => ({
  inputs_certified: 'a'.repeat(64),
  framing: 'specthis-inputs/1',
  components: [],
  depends_on: [],
  author,
  ts: '2026-01-01T00:00:00.000Z',
});
/** A pid no process has: one that just exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const holder = (pid: number, time = Date.now()) => JSON.stringify({ pid, host: hostname(), time, token: 'theirs' });

describe('readLock / updateLock', () => {
  it('reads a missing lock as nothing certified, and writes nothing for an empty update', () => {
    expect(readLock(root, 'specs')).toEqual({});
    expect(updateLock(root, 'specs', (l) => l).written).toBe(false);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('writes the formatted lock, and leaves identical bytes alone', () => {
    expect(updateLock(root, 'specs', (l) => ({ ...l, fit: rec('Ada') })).written).toBe(true);
    expect(readFileSync(lockFile(), 'utf8')).toMatch(/^\{\n {2}"fit": \{\n {4}"inputs_certified"/);
    expect(updateLock(root, 'specs', (l) => l).written).toBe(false);
    expect(readLock(root, 'specs')).toEqual({ fit: rec('Ada') });
    expect(readdirSync(join(root, 'specs'))).toEqual(['_lock.json']);
  });

  it('throws on a lock that does not parse, and never overwrites it', () => {
    writeFileSync(lockFile(), '{ "fit": ');
    expect(() => readLock(root, 'specs')).toThrow(LockFileError);
    expect(() => updateLock(root, 'specs', () => ({ other: rec('Bo') }))).toThrow(/^specs\/_lock\.json:1:10: error: not valid JSON/);
    expect(readFileSync(lockFile(), 'utf8')).toBe('{ "fit": ');
    expect(existsSync(mutexFile())).toBe(false);
  });

  it('removes temporary files a killed writer left behind', () => {
    writeFileSync(join(root, 'specs/._lock.json.123.abc.tmp'), '{ torn');
    updateLock(root, 'specs', (l) => ({ ...l, fit: rec('Ada') }));
    expect(readdirSync(join(root, 'specs'))).toEqual(['_lock.json']);
  });
});

describe('readLock of a lock it cannot read', () => {
  const first = () => {
    try {
      readLock(root, 'specs');
    } catch (e) {
      expect(e).toBeInstanceOf(LockFileError);
      return (e as Error).message.split('\n')[0];
    }
    return 'read';
  };

  it('names a directory in its place, in one line', () => {
    mkdirSync(lockFile());
    expect(first()).toBe('specs/_lock.json: error: specs/_lock.json is a directory, not a file [lock-unreadable]');
  });

  it('names the line of the first byte that is not UTF-8', () => {
    writeFileSync(lockFile(), Buffer.concat([Buffer.from('{\n  "fit": "'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]));
    expect(first()).toBe('specs/_lock.json:2: error: specs/_lock.json is not UTF-8 (byte 0xe9 at offset 12) [lock-unreadable]');
  });
});

describe('withExclusiveFile', () => {
  it('holds the lock file while the function runs, with pid, host and time, and removes it after', () => {
    const seen = withExclusiveFile(mutexFile(), () => JSON.parse(readFileSync(mutexFile(), 'utf8')));
    expect(seen).toMatchObject({ pid: process.pid, host: hostname() });
    expect(existsSync(mutexFile())).toBe(false);
  });

  it('breaks a lock whose holder died on this host', () => {
    writeFileSync(mutexFile(), holder(deadPid()));
    expect(withExclusiveFile(mutexFile(), () => 'ran', { timeoutMs: 200 })).toBe('ran');
  });

  it('breaks a lock older than staleMs even when its holder lives, and one whose content is unreadable once it is old', () => {
    writeFileSync(mutexFile(), holder(process.ppid, Date.now() - 60_000));
    expect(withExclusiveFile(mutexFile(), () => 'ran', { timeoutMs: 200 })).toBe('ran');
    writeFileSync(mutexFile(), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(mutexFile(), old, old);
    expect(withExclusiveFile(mutexFile(), () => 'ran', { timeoutMs: 200 })).toBe('ran');
  });

  it('waits a bounded time for a live holder, then names it and how to recover', () => {
    writeFileSync(mutexFile(), holder(process.ppid));
    const started = Date.now();
    expect(() => withExclusiveFile(mutexFile(), () => 'ran', { timeoutMs: 300 })).toThrow(
      new RegExp(
        `^specthis: .*_lock\\.json\\.lock is held by process ${process.ppid} on ${hostname()} since .*; waited 0\\.3 s for it\\. If no specthis process is running, delete that file and try again$`,
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(JSON.parse(readFileSync(mutexFile(), 'utf8'))).toMatchObject({ pid: process.ppid, token: 'theirs' });
  });

  it('leaves a lock that is no longer its own when it finishes (it was broken as stale meanwhile)', () => {
    withExclusiveFile(mutexFile(), () => writeFileSync(mutexFile(), holder(process.ppid)));
    expect(JSON.parse(readFileSync(mutexFile(), 'utf8')).token).toBe('theirs');
  });

  it('falls back to O_EXCL on a file system without hard links', () => {
    // The module object itself (an `import *` namespace is a frozen copy).
    const nodeFs: typeof import('node:fs') = require('node:fs');
    const link = jest.spyOn(nodeFs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    });
    try {
      expect(withExclusiveFile(mutexFile(), () => JSON.parse(readFileSync(mutexFile(), 'utf8')).pid)).toBe(process.pid);
      writeFileSync(mutexFile(), holder(process.ppid));
      expect(() => withExclusiveFile(mutexFile(), () => 'ran', { timeoutMs: 50 })).toThrow(/is held by process/);
      expect(link).toHaveBeenCalled();
    } finally {
      link.mockRestore();
    }
  });

  it('releases the lock when the function throws', () => {
    expect(() =>
      withExclusiveFile(mutexFile(), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(existsSync(mutexFile())).toBe(false);
  });
});
