import { MISSING, type Component } from '../hash/inputs';
import type { Receipt } from '../receipts/receipt';
import type { LiveSignature } from './signature';

const MAX_NAMED = 3;

/**
 * Says which inputs moved between a receipt and now, e.g.
 * `script scripts/fit.py changed since the last run`. Falls back to a generic
 * sentence when nothing named moved (a new framing version, a hand-edited receipt).
 */
export function explainDrift(receipt: Receipt, live: LiveSignature): string {
  const moved = [...movedComponents(receipt.inputs.components, live.inputs.components)];
  if (receipt.command !== live.command) moved.push(`command (now \`${live.command}\`)`);
  const notes: string[] = [];
  const before = new Map(receipt.upstream.map((u) => [u.entry, u.digest]));
  for (const u of live.upstream) {
    if (u.digest === MISSING && before.get(u.entry) !== MISSING) notes.push(`upstream ${u.entry} has no receipt (run it first)`);
    else if (before.get(u.entry) !== u.digest) moved.push(`outputs of upstream ${u.entry}`);
  }
  const now = new Set(live.upstream.map((u) => u.entry));
  for (const name of before.keys()) if (!now.has(name)) moved.push(`upstream list (${name} no longer read)`);
  const parts = moved.length ? [`${list(moved)} changed since the last run`, ...notes] : notes;
  return parts.length ? parts.join('; ') : 'the run signature changed since the last run';
}

function* movedComponents(before: readonly Component[], now: readonly Component[]): Generator<string> {
  const key = (c: Component) => `${c.role} ${c.path}`;
  const old = new Map(before.map((c) => [key(c), c.sha256]));
  const live = new Set(now.map(key));
  for (const c of now) {
    const was = old.get(key(c));
    if (was === c.sha256) continue;
    if (was === undefined) yield `${describe(c)} (added)`;
    else if (c.sha256 === MISSING) yield `${describe(c)} (now missing)`;
    else yield describe(c);
  }
  for (const c of before) if (!live.has(key(c))) yield `${describe(c)} (removed)`;
}

function describe(c: Component): string {
  if (c.role === 'spec-shared') return `shared text of ${c.path}`;
  if (c.role === 'entry-block') return `entry block ${c.path}`;
  return `${c.role} ${c.path}`;
}

function list(items: string[]): string {
  const named = items.slice(0, MAX_NAMED);
  const more = items.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0];
}
