import { posix } from 'node:path';
import type { Entry } from '../spec/types';

/** `a/b/c.json` -> [`a/b`, `a`]. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = posix.dirname(path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) out.push(dir);
  return out;
}

function add(index: Map<string, Set<string>>, key: string, entry: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(entry);
}

const hasOther = (set: Set<string> | undefined, self: string) => !!set && (set.size > 1 || !set.has(self));

/**
 * The paths each entry owns: what Nx caches and restores, what a receipt records.
 * A compute entry owns the directory of its `Output:` (sidecar files live beside
 * the JSON) unless that directory is shared with, or contains, another entry's
 * outputs: restoring a shared directory from cache would wipe a sibling's results,
 * so then only the JSON itself is owned. Export entries own their export files.
 * Indexed by path and by ancestor directory, so 5,000 entries stay linear.
 */
export function outputRoots(entries: Iterable<Entry>): Map<string, string[]> {
  const all = [...entries];
  const outputsAt = new Map<string, Set<string>>();
  const outputsUnder = new Map<string, Set<string>>();
  for (const e of all) {
    for (const path of e.outputs) {
      add(outputsAt, path, e.name);
      for (const dir of ancestors(path)) add(outputsUnder, dir, e.name);
    }
  }
  const roots = new Map<string, string[]>();
  for (const entry of all) {
    if (entry.family !== 'compute' || entry.outputs.length !== 1) {
      roots.set(entry.name, [...entry.outputs].sort());
      continue;
    }
    const dir = posix.dirname(entry.outputs[0]);
    const shared =
      dir === '.' ||
      hasOther(outputsAt.get(dir), entry.name) ||
      hasOther(outputsUnder.get(dir), entry.name) ||
      ancestors(`${dir}/x`).some((a) => a !== dir && hasOther(outputsAt.get(a), entry.name));
    roots.set(entry.name, [shared ? entry.outputs[0] : dir]);
  }
  return roots;
}
