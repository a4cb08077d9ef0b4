import { posix } from 'node:path';
import type { Entry } from '../spec/types';

/**
 * The paths each entry owns: what Nx caches and restores, what a receipt records.
 * A compute entry owns the directory of its `Output:` (sidecar files live beside
 * the JSON) unless that directory is shared with, or contains, another entry's
 * outputs: restoring a shared directory from cache would wipe a sibling's results,
 * so then only the JSON itself is owned. Export entries own their export files.
 */
export function outputRoots(entries: Iterable<Entry>): Map<string, string[]> {
  const all = [...entries];
  const everyOutput = all.flatMap((e) => e.outputs.map((path) => ({ entry: e.name, path })));
  const roots = new Map<string, string[]>();
  for (const entry of all) {
    if (entry.family !== 'compute' || entry.outputs.length !== 1) {
      roots.set(entry.name, [...entry.outputs].sort());
      continue;
    }
    const dir = posix.dirname(entry.outputs[0]);
    const shared = dir === '.' || everyOutput.some((o) => o.entry !== entry.name && (o.path === dir || o.path.startsWith(`${dir}/`) || dir.startsWith(`${o.path}/`)));
    roots.set(entry.name, [shared ? entry.outputs[0] : dir]);
  }
  return roots;
}
