import { readFileSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { fileSystemNow } from '../fs/clock';
import { LOCAL_CACHE_DIR } from '../layout';

/**
 * File hashes remembered by what a stat says of the file (device, inode,
 * size, mtime and ctime in nanoseconds), so a status or a run over thousands
 * of unchanged files reads none of them again. Kept in
 * `.specthis/cache/hashes.json`, per workspace; a lost or torn file is only a
 * slower run.
 *
 * The racy-git rule: a hash is trusted only when the file's mtime and ctime
 * are strictly older than the moment the hash was taken (recorded before the
 * read began), so a file edited in the same clock tick as its hashing, which a
 * stat cannot tell from the hashed one, is read again. That moment is read
 * off the clock of the file's own file system as well as the machine's
 * (`momentBefore`), as git compares with its index file's mtime. The answer is
 * always the one a full re-hash would give (core/hash/stat-cache.spec.ts).
 */
export const STAT_CACHE_FILE = `${LOCAL_CACHE_DIR}/hashes.json`;
const VERSION = 'specthis-hashes/1';

interface Record {
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  /** The moment before the file was read, in nanoseconds: the earlier of the machine's and the file system's clocks. */
  hashedAtNs: string;
  sha256: string;
}

/** Reads a file system's clock at most this often (monotonic ns): a file newer than the last reading waits for the next. */
const CLOCK_EVERY_NS = 50_000_000n;

/** A file system's clock as read (0n: it cannot be read there), and when, by the machine's wall and monotonic clocks. */
interface ClockReading {
  ns: bigint;
  wallNs: bigint;
  monoNs: bigint;
}

export class StatCache {
  private records = new Map<string, Record>();
  private changed = false;
  /** The last reading of each device's clock, and the device of the state directory once known. */
  private clocks = new Map<bigint, ClockReading>();
  private stateDevice: bigint | undefined;

  constructor(readonly root: string) {
    try {
      const value = JSON.parse(readFileSync(join(root, STAT_CACHE_FILE), 'utf8')) as { version?: string; files?: unknown };
      if (value?.version === VERSION && value.files && typeof value.files === 'object') {
        for (const [path, r] of Object.entries(value.files as { [path: string]: Record })) {
          if (r && typeof r.sha256 === 'string' && typeof r.size === 'number') this.records.set(path, r);
        }
      }
    } catch {
      // No cache yet, or torn: every file is hashed.
    }
  }

  /** The remembered hash of `abs` when the stat matches and the racy-git rule lets it be trusted. */
  lookup(abs: string, st: BigIntStats): { sha256: string; size: number } | undefined {
    const r = this.records.get(abs);
    if (!r) return undefined;
    const same =
      r.dev === String(st.dev) &&
      r.ino === String(st.ino) &&
      r.size === Number(st.size) &&
      r.mtimeNs === String(st.mtimeNs) &&
      r.ctimeNs === String(st.ctimeNs);
    if (!same) return undefined;
    const hashedAt = BigInt(r.hashedAtNs);
    if (st.mtimeNs >= hashedAt || st.ctimeNs >= hashedAt) return undefined;
    return { sha256: r.sha256, size: r.size };
  }

  /**
   * The moment to record for a hash of the file at `abs`, with stat `st`,
   * whose read starts now: no later than the machine's clock or the clock of
   * the file's device reads. A device's clock is read again only when `st` is
   * not older than its last reading, so hashing thousands of settled files
   * creates one clock file, not thousands; and whenever the machine's clock
   * has stepped back since (an NTP step), as a reading from before the step
   * may be ahead of the stamps that follow it.
   */
  momentBefore(st: BigIntStats, abs: string): bigint {
    const wallNs = BigInt(Date.now()) * 1_000_000n;
    const monoNs = process.hrtime.bigint();
    let reading = this.clocks.get(st.dev);
    const stale = !reading || st.mtimeNs >= reading.ns || st.ctimeNs >= reading.ns;
    const steppedBack = reading !== undefined && wallNs - reading.wallNs < monoNs - reading.monoNs - 1_000_000n;
    if (!reading || steppedBack || (stale && monoNs - reading.monoNs >= CLOCK_EVERY_NS)) {
      reading = { ns: this.readClock(st.dev, abs) ?? 0n, wallNs, monoNs };
      this.clocks.set(st.dev, reading);
    }
    return wallNs < reading.ns ? wallNs : reading.ns;
  }

  /**
   * The clock of device `dev`: read in the state directory when that is on it,
   * else in the file's own directory (a data mount inside the workspace).
   * Undefined where no clock file can be made on that device: nothing hashed
   * there is then trusted.
   */
  private readClock(dev: bigint, abs: string): bigint | undefined {
    if (this.stateDevice === undefined || this.stateDevice === dev) {
      const state = fileSystemNow(join(this.root, LOCAL_CACHE_DIR));
      this.stateDevice = state?.dev;
      if (state?.dev === dev) return state.ns;
    }
    const own = fileSystemNow(dirname(abs));
    return own?.dev === dev ? own.ns : undefined;
  }

  remember(abs: string, st: BigIntStats, hashedAtNs: bigint, sha256: string): void {
    this.records.set(abs, {
      dev: String(st.dev),
      ino: String(st.ino),
      size: Number(st.size),
      mtimeNs: String(st.mtimeNs),
      ctimeNs: String(st.ctimeNs),
      hashedAtNs: String(hashedAtNs),
      sha256,
    });
    this.changed = true;
  }

  /** Writes the cache back when something was hashed (atomically: a reader sees the old file or the new one). */
  save(): void {
    if (!this.changed) return;
    const files: { [path: string]: Record } = Object.create(null);
    for (const [path, r] of [...this.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) files[path] = r;
    try {
      writeFileAtomic(join(this.root, STAT_CACHE_FILE), JSON.stringify({ version: VERSION, files }));
      this.changed = false;
    } catch {
      // A read-only workspace still answers; it hashes again next time.
    }
  }
}

let active: StatCache | undefined;

export function activeStatCache(): StatCache | undefined {
  return active;
}

/**
 * Makes the workspace's stat cache the one every file hash of
 * core/hash/sha256.ts goes through, until `close`, which saves it and restores
 * the one before. `save` writes it back now: a process running many
 * overlapping tasks (executors/run/batch.ts, `specthis run`) holds one open
 * across them, since a per-task cache would swap the active one under a
 * running task.
 */
export function openStatCache(root: string): { save(): void; close(): void } {
  const previous = active;
  const cache = (active = new StatCache(root));
  return {
    save: () => cache.save(),
    close: () => {
      active = previous;
      cache.save();
    },
  };
}

/** Runs `fn` with the stat cache open, and saves it afterwards. The front ends that hash many files (a run, `specthis status`, the audit) wrap their work in it. */
export function withStatCache<T>(root: string, fn: () => T): T {
  const cache = openStatCache(root);
  try {
    return fn();
  } finally {
    cache.close();
  }
}

/** The same for async work (the run executor). */
export async function withStatCacheAsync<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const cache = openStatCache(root);
  try {
    return await fn();
  } finally {
    cache.close();
  }
}
