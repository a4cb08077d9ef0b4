import type { EntryFacts } from '../audit/facts';

/** The certification axis as the page shows it: the lock's state, with `script TBD` taking precedence over unbound/certified as the run orders them (docs/architecture.md, "Entry state"). `unknown`: the lock does not parse. */
export type CertAxis = 'certified' | 'spec audit needed' | 'unbound' | 'script TBD' | 'unknown';
/** The realization axis: core/state's state, `blocked` when the spec has errors, `—` when the script is not ready (nothing to realize yet). */
export type RealAxis = 'fresh' | 'stale' | 'missing' | 'needs review' | 'blocked' | '—';
export type PageState = CertAxis | RealAxis | 'none';

/**
 * Worst first: what colors a spec in the sidebar and the DAG. Problems a
 * person must fix, then work a machine can do, then plans and open claims,
 * then done.
 */
export const STATE_RANK: readonly PageState[] = [
  'blocked',
  'spec audit needed',
  'unknown',
  'missing',
  'stale',
  'needs review',
  'script TBD',
  'unbound',
  'fresh',
  'certified',
  '—',
  'none',
];

export function worst(states: readonly PageState[]): PageState {
  let best = STATE_RANK.length - 1;
  for (const s of states) best = Math.min(best, STATE_RANK.indexOf(s));
  return STATE_RANK[best];
}

export function certAxis(f: EntryFacts): CertAxis {
  if (f.certification === '—') return 'unknown';
  if (f.certification === 'spec audit needed') return 'spec audit needed';
  if (f.entry.status === 'script TBD') return 'script TBD';
  return f.certification;
}

export function realAxis(f: EntryFacts): RealAxis {
  return f.realization === 'script TBD' ? '—' : f.realization;
}

/** Legend text, shown in the page beside the counts. */
export const NEEDS_PERSON =
  'needs a person: the spec has errors (blocked), or the entry is spec audit needed, unbound or script TBD, or the lock does not parse';
export const NEEDS_MACHINE =
  'needs a machine: the entry can run now (script ready, certified, or unbound when requireCertified is off, spec without errors) and its outputs are stale, missing or need review';

/** Someone has to read, write or certify something before the entry is settled. */
export function needsPerson(cert: CertAxis, real: RealAxis): boolean {
  return real === 'blocked' || cert !== 'certified';
}

/** `nx run-many -t compute` (or export) would do work for it and could succeed. */
export function needsMachine(cert: CertAxis, real: RealAxis, requireCertified: boolean): boolean {
  const runnable = cert === 'certified' || (cert === 'unbound' && !requireCertified);
  return real !== 'blocked' && runnable && (real === 'stale' || real === 'missing' || real === 'needs review');
}
