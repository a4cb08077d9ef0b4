import { sortComponents } from '../hash/inputs';
import type { Lock, LockRecord } from './types';

/**
 * The lock's bytes: entry names sorted (by code unit, so every machine agrees),
 * each record's keys in one fixed order, components in framing order, two-space
 * JSON and a trailing newline. Two certifications of different entries then touch
 * disjoint blocks of lines, which keeps diffs small and merges clean.
 */
export function formatLock(lock: Lock): string {
  const sorted: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(lock).sort(byCodeUnit)) sorted[name] = orderRecord(lock[name]);
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function orderRecord(r: LockRecord): LockRecord {
  return {
    inputs_certified: r.inputs_certified,
    framing: r.framing,
    components: sortComponents(r.components).map((c) => ({ role: c.role, path: c.path, sha256: c.sha256 })),
    depends_on: [...r.depends_on].sort(byCodeUnit),
    author: r.author,
    ts: r.ts,
  };
}

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
