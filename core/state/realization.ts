import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../hash/sha256';
import { readReceipt, receiptPath, RECEIPTS_DIR, type Receipt } from '../receipts/receipt';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { explainDrift } from './explain';
import { liveSignature, type LiveSignature } from './signature';

/**
 * Entry states this module decides, in the order DESIGN.md §4 checks them.
 * The certification states (`spec audit needed` before `script TBD`, `unbound`
 * after it) need the lock and join here later; see `classify`.
 */
export type RealizationState = 'script TBD' | 'missing' | 'stale' | 'fresh';

export interface Classification {
  state: RealizationState;
  /** One line, starting with the state: `stale: script scripts/fit.py changed since the last run`. */
  reason: string;
  /** The reason without the state: `script scripts/fit.py changed since the last run`. */
  detail: string;
  /** The signature a run would record now; computed once so the run records what was classified. */
  live: LiveSignature;
  receipt?: Receipt;
}

/**
 * Classifies an entry of a spec that is not blocked, from content only (no
 * mtimes: a fresh clone answers the same). Seam for certification: a lock
 * argument will add `spec audit needed` and `unbound` around the TBD check,
 * leaving realization below unchanged.
 */
export function classify(root: string, model: WorkspaceModel, entry: Entry): Classification {
  const live = liveSignature(root, model, entry);
  if (entry.status === 'script TBD') {
    return withReason('script TBD', entry.statusNote ?? 'the spec marks the script as not ready', live);
  }
  const r = realization(root, entry, live);
  return withReason(r.state, r.detail, live, r.receipt);
}

function withReason(state: RealizationState, detail: string, live: LiveSignature, receipt?: Receipt): Classification {
  return { state, reason: `${state}: ${detail}`, detail, live, ...(receipt ? { receipt } : {}) };
}

type Found = { state: RealizationState; detail: string; receipt?: Receipt };

function realization(root: string, entry: Entry, live: LiveSignature): Found {
  const absent = entry.outputs.filter((p) => !isFile(join(root, p)));
  if (absent.length) {
    const more = absent.length > 1 ? ` (and ${absent.length - 1} more declared output${absent.length > 2 ? 's' : ''})` : '';
    return { state: 'missing', detail: `${absent[0]} does not exist${more}` };
  }
  const receipt = readReceipt(root, entry.name);
  if (!receipt) {
    const detail = existsSync(receiptPath(root, entry.name))
      ? `receipt ${RECEIPTS_DIR}/${entry.name}.json is unreadable; the outputs' origin is unknown`
      : 'no receipt (never run here, or the last run failed or was interrupted)';
    return { state: 'stale', detail };
  }
  if (receipt.signature !== live.signature) return { state: 'stale', detail: explainDrift(receipt, live), receipt };
  for (const o of receipt.outputs) {
    const now = hashFile(join(root, o.path));
    if (!now) return { state: 'stale', detail: `output ${o.path} was removed since the last run`, receipt };
    if (now.sha256 !== o.sha256) return { state: 'stale', detail: `output ${o.path} changed since the last run`, receipt };
  }
  const n = receipt.outputs.length;
  return { state: 'fresh', detail: `receipt matches inputs and ${n} output file${n === 1 ? '' : 's'}`, receipt };
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}
