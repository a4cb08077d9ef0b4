import { readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type fg from 'fast-glob';
import { fastGlob } from './glob';

export type FileKind = 'file' | 'dir' | 'other' | 'absent';
/** What a stat says, followed through links; `size` is 0 unless a file. */
export interface FileStat {
  kind: FileKind;
  size: number;
}
type Read = { bytes: Buffer } | { error: Error };

/**
 * What a live server has already read, kept until its watcher says a path
 * changed. A render reads every spec, script, workflow, output and receipt;
 * between two saves almost none of them moved, so re-reading (and re-hashing)
 * thousands of files per keystroke is what made a 5,000-entry re-render slow.
 *
 * Only code inside `run()` sees the cache: the live server's, which its watcher
 * tells what went stale, and one `specthis dashboard` build's, which lives no
 * longer than the build. Everything else (runs, certification, the audit from
 * the CLI) reads the disk.
 */
export class FileCache {
  private stats = new Map<string, FileStat>();
  private reads = new Map<string, Read>();
  private globs = new Map<string, string[]>();
  private realpaths = new Map<string, string>();
  /** Results derived from a file's bytes (hashes, parses), dropped with them. */
  readonly derived = new WeakMap<Buffer, Map<string, unknown>>();

  constructor(readonly root: string) {}

  /** Forgets the paths (absolute or workspace-relative) and everything beneath them; `structural` (a file or directory was added or removed) also forgets directory listings. */
  invalidate(paths: readonly string[], structural = true): void {
    for (const p of paths) {
      const abs = resolve(this.root, p);
      for (const map of [this.stats, this.reads] as Map<string, unknown>[]) {
        map.delete(abs);
        for (const key of map.keys()) if (key.startsWith(abs + sep)) map.delete(key);
      }
    }
    // A link retargeted, or a directory replaced by one, can move where any path beneath it leads.
    this.realpaths.clear();
    if (structural) this.globs.clear();
  }

  clear(): void {
    this.realpaths.clear();
    this.stats.clear();
    this.reads.clear();
    this.globs.clear();
  }

  /** Runs `fn` with every read of core/fs/read.ts going through this cache. */
  run<T>(fn: () => T): T {
    const previous = active;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the module's one active cache is this one while fn runs
    active = this;
    try {
      return fn();
    } finally {
      active = previous;
    }
  }

  /** Agrees with `read`: a file whose bytes are cached has their size, whatever the disk says now. */
  stat(abs: string): FileStat {
    const read = this.reads.get(abs);
    if (read && 'bytes' in read) return { kind: 'file', size: read.bytes.length };
    let stat = this.stats.get(abs);
    if (stat === undefined) this.stats.set(abs, (stat = diskStat(abs)));
    return stat;
  }

  read(abs: string): Buffer {
    let read = this.reads.get(abs);
    if (read === undefined) {
      try {
        read = { bytes: readFileSync(abs) };
      } catch (error) {
        read = { error: error as Error };
      }
      this.reads.set(abs, read);
    }
    if ('error' in read) throw read.error;
    return read.bytes;
  }

  /** Where `abs` really leads (core/fs/inside.ts), remembered until the watcher reports any change. */
  realpath(abs: string, resolve: (abs: string) => string): string {
    let real = this.realpaths.get(abs);
    if (real === undefined) this.realpaths.set(abs, (real = resolve(abs)));
    return real;
  }

  glob(pattern: string, cwd: string, options: fg.Options): string[] {
    const key = JSON.stringify([pattern, cwd, options]);
    let found = this.globs.get(key);
    if (!found) this.globs.set(key, (found = fastGlob().sync(pattern, { ...options, cwd })));
    return found;
  }
}

let active: FileCache | undefined;

export function activeFileCache(): FileCache | undefined {
  return active;
}

export function diskStat(abs: string): FileStat {
  try {
    // Not throwing for a missing file: most receipts and outputs of a fresh workspace are missing, and an ENOENT error with its stack costs more than the stat.
    const stat = statSync(abs, { throwIfNoEntry: false });
    if (!stat) return { kind: 'absent', size: 0 };
    return stat.isFile() ? { kind: 'file', size: stat.size } : { kind: stat.isDirectory() ? 'dir' : 'other', size: 0 };
  } catch {
    return { kind: 'absent', size: 0 };
  }
}
