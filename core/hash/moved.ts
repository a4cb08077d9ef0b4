import { MISSING, type Component, type ComponentRole } from './inputs';

/** One input that differs between a recorded set of components (receipt, lock record) and the live one. */
export interface MovedComponent {
  role: ComponentRole;
  path: string;
  change: 'changed' | 'added' | 'removed' | 'now missing';
  /** Recorded hash; absent for an added component. */
  before?: string;
  /** Live hash; absent for a removed component. */
  now?: string;
}

/** Moved components, live ones in framing order first, then those no longer there. */
export function diffComponents(before: readonly Component[], now: readonly Component[]): MovedComponent[] {
  const key = (c: Component) => `${c.role} ${c.path}`;
  const old = new Map(before.map((c) => [key(c), c.sha256]));
  const live = new Set(now.map(key));
  const moved: MovedComponent[] = [];
  for (const c of now) {
    const was = old.get(key(c));
    if (was === c.sha256) continue;
    const change = was === undefined ? 'added' : c.sha256 === MISSING ? 'now missing' : 'changed';
    moved.push({ role: c.role, path: c.path, change, ...(was === undefined ? {} : { before: was }), now: c.sha256 });
  }
  for (const c of before) if (!live.has(key(c))) moved.push({ role: c.role, path: c.path, change: 'removed', before: c.sha256 });
  return moved;
}

/** `shared text of specs/fit.md`, `entry block specs/fit.md#fit`, `script scripts/fit.py`. */
export function describeComponent(c: Pick<Component, 'role' | 'path'>): string {
  if (c.role === 'spec-shared') return `shared text of ${c.path}`;
  if (c.role === 'entry-block') return `entry block ${c.path}`;
  return `${c.role} ${c.path}`;
}

/** `script scripts/fit.py`, or with the kind of move when it is not a plain edit: `workflow a.json (removed)`. */
export function describeMove(m: MovedComponent): string {
  return m.change === 'changed' ? describeComponent(m) : `${describeComponent(m)} (${m.change})`;
}
