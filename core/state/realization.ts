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
    return { state: 'script TBD', reason: `script TBD: ${entry.statusNote ?? 'the spec marks the script as not ready'}`, live };
  }
  return { ...realization(root, entry, live), live };
}

function realization(root: string, entry: Entry, live: LiveSignature): Omit<Classification, 'live'> {
  const absent = entry.outputs.filter((p) => !isFile(join(root, p)));
  if (absent.length) {
    const more = absent.length > 1 ? ` (and ${absent.length - 1} more declared output${absent.length > 2 ? 's' : ''})` : '';
    return { state: 'missing', reason: `missing: ${absent[0]} does not exist${more}` };
  }
  const receipt = readReceipt(root, entry.name);
  if (!receipt) {
    const reason = existsSync(receiptPath(root, entry.name))
      ? `stale: receipt ${RECEIPTS_DIR}/${entry.name}.json is unreadable; the outputs' origin is unknown`
      : 'stale: no receipt (never run here, or the last run failed or was interrupted)';
    return { state: 'stale', reason };
  }
  if (receipt.signature !== live.signature) return { state: 'stale', reason: `stale: ${explainDrift(receipt, live)}`, receipt };
  for (const o of receipt.outputs) {
    const now = hashFile(join(root, o.path));
    if (!now) return { state: 'stale', reason: `stale: output ${o.path} was removed since the last run`, receipt };
    if (now.sha256 !== o.sha256) return { state: 'stale', reason: `stale: output ${o.path} changed since the last run`, receipt };
  }
  const n = receipt.outputs.length;
  return { state: 'fresh', reason: `fresh: receipt matches inputs and ${n} output file${n === 1 ? '' : 's'}`, receipt };
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}
