import { describeMove } from '../hash/moved';
import { RECEIPTS_DIR } from '../receipts/receipt';
import type { RealizationReason } from './realization';

const MAX_NAMED = 3;

/**
 * A realization reason in words, without the state: `script scripts/fit.py
 * changed since the last run`. The one place the structure becomes prose, for
 * terminals, the audit table and the page.
 */
export function describeRealization(why: RealizationReason): string {
  switch (why.kind) {
    case 'script-tbd':
      return why.note ?? 'the spec marks the script as not ready';
    case 'output-missing': {
      const more = why.others ? ` (and ${why.others} more declared output${why.others > 1 ? 's' : ''})` : '';
      return `${why.path} does not exist${more}`;
    }
    case 'no-receipt':
      return 'no receipt (never run here, or the last run failed or was interrupted)';
    case 'receipt-unreadable':
      return `receipt ${RECEIPTS_DIR}/${why.receipt}.json is unreadable; the outputs' origin is unknown`;
    case 'inputs-moved':
      return describeInputsMoved(why);
    case 'output-removed':
      return `output ${why.path} was removed since the last run`;
    case 'output-changed':
      return `output ${why.path} changed since the last run`;
    case 'shared-text-only':
      return `only the shared text of ${why.spec} changed since the last export; re-export, then check the artefact against the spec`;
    case 'matches':
      return `receipt matches inputs and ${why.outputs} output file${why.outputs === 1 ? '' : 's'}`;
  }
}

/**
 * Which inputs moved between a receipt and now, e.g. `script scripts/fit.py
 * changed since the last run`; a generic sentence when nothing named moved (a
 * new framing version, a hand-edited receipt).
 */
function describeInputsMoved(why: Extract<RealizationReason, { kind: 'inputs-moved' }>): string {
  const moved = why.moved.map(describeMove);
  if (why.command) moved.push(`command (now \`${why.command.now}\`)`);
  const notes: string[] = [];
  for (const u of why.upstream) {
    if (u.change === 'no receipt') notes.push(`upstream ${u.entry} has no receipt (run it first)`);
    else if (u.change === 'outputs changed') moved.push(`outputs of upstream ${u.entry}`);
    else moved.push(`upstream list (${u.entry} no longer read)`);
  }
  const parts = moved.length ? [`${list(moved)} changed since the last run`, ...notes] : notes;
  return parts.length ? parts.join('; ') : 'the run signature changed since the last run';
}

function list(items: string[]): string {
  const named = items.slice(0, MAX_NAMED);
  const more = items.length - named.length;
  if (more > 0) return `${named.join(', ')} and ${more} more`;
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0];
}
