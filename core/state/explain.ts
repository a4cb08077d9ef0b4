import { MISSING } from '../hash/inputs';
import type { Receipt } from '../receipts/receipt';
import { describeMove, diffComponents } from './moved';
import type { LiveSignature } from './signature';

const MAX_NAMED = 3;

/**
 * Says which inputs moved between a receipt and now, e.g.
 * `script scripts/fit.py changed since the last run`. Falls back to a generic
 * sentence when nothing named moved (a new framing version, a hand-edited receipt).
 */
export function explainDrift(receipt: Receipt, live: LiveSignature): string {
  const moved = diffComponents(receipt.inputs.components, live.inputs.components).map(describeMove);
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

function list(items: string[]): string {
  const named = items.slice(0, MAX_NAMED);
  const more = items.length - named.length;
  return more > 0
    ? `${named.join(', ')} and ${more} more`
    : named.length > 1
      ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
      : named[0];
}
