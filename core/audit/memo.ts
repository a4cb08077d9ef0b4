import { resolve, sep } from 'node:path';
import { activeFileCache, type FileCache } from '../fs/file-cache';
import type { EntryFacts } from './facts';
import type { SpecText } from './spec-text';

interface Memoized {
  /** What the facts were computed from besides files: the spec's and entry's parsed fields, blocked, upstream. */
  key: string;
  /** Every absolute path the computation stat'ed, read or hashed through the FileCache. */
  paths: string[];
  /** It listed a directory (a glob), which a structural change may alter. */
  globbed: boolean;
  facts: EntryFacts;
}

interface SpecMemoized {
  key: string;
  text: SpecText;
  /** The facts objects of its entries it was derived from, compared by identity. */
  facts: EntryFacts[];
  value: unknown;
}

/**
 * An entry's facts (realization, certification, outputs, JSON keys) kept from
 * one live rebuild to the next, for the live server only: classifying 5,000
 * entries (input hashes, receipts, stats) was a fifth of every rebuild though
 * a save touches one or two of them.
 *
 * Correct by construction rather than by a list of what an entry depends on:
 * while facts are computed, every read goes through a view of the FileCache
 * that records the path. The server tells the memo what it tells the cache
 * (`invalidate`, with the watcher's paths), and a record that read any of them,
 * or anything beneath one, is dropped; the others read exactly the bytes the
 * cache still holds, so recomputing them would give the same facts. Anything
 * that is not a file (the entry as parsed, its spec, whether the spec is
 * blocked, its upstream entries) is part of the key.
 */
export class AuditMemo {
  private records = new Map<string, Memoized>();
  /** The ids of the records that read each path, and of those that globbed: invalidation looks up what changed instead of scanning 5,000 records. */
  private readers = new Map<string, Set<string>>();
  private globbers = new Set<string>();
  private used = new Set<string>();
  private specs = new Map<string, SpecMemoized>();
  private usedSpecs = new Set<string>();
  /** Of the last audit: how many entries' facts were kept, and how many computed. */
  readonly counts = { kept: 0, computed: 0 };

  /**
   * Forgets what depended on the paths (absolute or relative to `root`); with
   * `structural`, also what listed a directory. Call with the same arguments
   * as FileCache.invalidate, before the rebuild.
   */
  invalidate(root: string, paths: readonly string[], structural: boolean): void {
    const exact = new Set(paths.map((p) => resolve(root, p)));
    const prefixes = [...exact].map((p) => p + sep);
    const stale = new Set(structural ? this.globbers : []);
    for (const [path, ids] of this.readers)
      if (exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix))) for (const id of ids) stale.add(id);
    for (const id of stale) this.drop(id);
  }

  private drop(id: string): void {
    const r = this.records.get(id);
    if (!r) return;
    this.records.delete(id);
    this.globbers.delete(id);
    for (const p of r.paths) {
      const ids = this.readers.get(p)!;
      ids.delete(id);
      if (!ids.size) this.readers.delete(p);
    }
  }

  private remember(id: string, record: Memoized): void {
    this.drop(id);
    this.records.set(id, record);
    if (record.globbed) this.globbers.add(id);
    for (const p of record.paths) {
      const readers = this.readers.get(p);
      if (readers) readers.add(id);
      else this.readers.set(p, new Set([id]));
    }
  }

  /**
   * The facts of entry `id` from the last rebuild if still valid, else
   * `compute()`'s, recorded with `also` (absolute paths it depends on through
   * something read before it ran). Outside a FileCache, always computes.
   */
  facts(id: string, key: string, also: readonly string[], compute: () => EntryFacts): EntryFacts {
    this.used.add(id);
    const cache = activeFileCache();
    if (!cache) return compute();
    const kept = this.records.get(id);
    if (kept && kept.key === key) {
      this.counts.kept++;
      return kept.facts;
    }
    this.counts.computed++;
    const paths = new Set<string>(also);
    const view = recordingView(cache, paths, () => (globbed = true));
    let globbed = false;
    const facts = view.run(compute);
    this.remember(id, { key, paths: [...paths], globbed, facts });
    return facts;
  }

  /**
   * What the audit derives from one spec and its entries' facts (rows,
   * findings): the last rebuild's if `facts` are the very objects `facts()`
   * returned then (so every entry's record was kept, none recomputed), `text`
   * is the same derived object (same bytes) and `key` (the parsed spec, the
   * routing cells) is equal; else `compute()`'s. Dropped with any of its
   * entries' facts, since a recomputed record is a new object.
   */
  spec<T>(file: string, key: string, text: SpecText, facts: readonly EntryFacts[], compute: () => T): T {
    this.usedSpecs.add(file);
    const kept = this.specs.get(file);
    if (kept && kept.key === key && kept.text === text && kept.facts.length === facts.length && kept.facts.every((f, i) => f === facts[i]))
      return kept.value as T;
    const value = compute();
    if (activeFileCache()) this.specs.set(file, { key, text, facts: [...facts], value });
    return value;
  }

  /** After a whole audit: drops the records of entries and specs it did not ask about (removed or renamed). */
  sweep(): void {
    for (const id of [...this.records.keys()]) if (!this.used.has(id)) this.drop(id);
    for (const file of this.specs.keys()) if (!this.usedSpecs.has(file)) this.specs.delete(file);
    this.used.clear();
    this.usedSpecs.clear();
  }

  /** Before an audit: its counts start at zero. */
  begin(): void {
    this.counts.kept = this.counts.computed = 0;
  }
}

/**
 * The cache itself (same maps, same derived results), with stat, read and glob
 * also noting what they were asked. core/fs/read.ts reaches the cache only
 * through these three methods and `derived`.
 */
function recordingView(cache: FileCache, paths: Set<string>, onGlob: () => void): FileCache {
  const view = Object.create(cache) as FileCache;
  view.stat = (abs) => (paths.add(abs), cache.stat(abs));
  view.read = (abs) => (paths.add(abs), cache.read(abs));
  view.glob = (pattern, cwd, options) => (onGlob(), cache.glob(pattern, cwd, options));
  return view;
}
