import { join } from 'node:path';
import { statFile } from '../fs/read';
import { isFile } from '../fs/stat';
import { hashFile } from '../hash/sha256';
import { readReceipt, receiptPath, RECEIPTS_DIR, type Receipt, type UpstreamDigest } from '../receipts/receipt';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { explainDrift } from './explain';
import { diffComponents } from './moved';
import { liveSignature, type LiveSignature } from './signature';

/**
 * Entry states this module decides, in the order DESIGN.md §4 checks them.
 * The certification states (`spec audit needed` before `script TBD`, `unbound`
 * after it) come from the lock (core/lock/certification.ts); the run orders both.
 *
 * `needs review` (DESIGN.md §4, last paragraph) is `stale` narrowed for report and
 * figure artefacts: the only input that moved is the spec's shared text (its
 * artefact design, its prose), so the exporter, its entry block and the numbers
 * it reads are unchanged. The run treats it like `stale` (it re-exports, so the
 * artefact is regenerated for someone to look at), but says `needs review`: the
 * bytes may well come out the same, and the person who edited the design should
 * check that the artefact now matches it.
 */
export type RealizationState = 'script TBD' | 'missing' | 'stale' | 'needs review' | 'fresh';

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
 * mtimes: a fresh clone answers the same). Certification is the other axis and
 * is decided from the lock by core/lock; `live.inputs` serves both.
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
    const detail =
      statFile(receiptPath(root, entry.name)).kind !== 'absent'
        ? `receipt ${RECEIPTS_DIR}/${entry.name}.json is unreadable; the outputs' origin is unknown`
        : 'no receipt (never run here, or the last run failed or was interrupted)';
    return { state: 'stale', detail };
  }
  const review = receipt.signature !== live.signature && entry.family === 'export' ? sharedTextOnly(receipt, live) : undefined;
  if (receipt.signature !== live.signature && !review) return { state: 'stale', detail: explainDrift(receipt, live), receipt };
  for (const o of receipt.outputs) {
    const now = hashFile(join(root, o.path));
    if (!now) return { state: 'stale', detail: `output ${o.path} was removed since the last run`, receipt };
    if (now.sha256 !== o.sha256) return { state: 'stale', detail: `output ${o.path} changed since the last run`, receipt };
  }
  if (review)
    return {
      state: 'needs review',
      detail: `only the shared text of ${review} changed since the last export; re-export, then check the artefact against the spec`,
      receipt,
    };
  const n = receipt.outputs.length;
  return { state: 'fresh', detail: `receipt matches inputs and ${n} output file${n === 1 ? '' : 's'}`, receipt };
}

/** The spec file, when the spec's shared text is the one input that moved (same command, same upstream outputs). */
function sharedTextOnly(receipt: Receipt, live: LiveSignature): string | undefined {
  if (receipt.command !== live.command || upstreamKey(receipt.upstream) !== upstreamKey(live.upstream)) return undefined;
  const moved = diffComponents(receipt.inputs.components, live.inputs.components);
  return moved.length === 1 && moved[0].role === 'spec-shared' && moved[0].change === 'changed' ? moved[0].path : undefined;
}

const upstreamKey = (upstream: readonly UpstreamDigest[]) =>
  upstream
    .map((u) => `${u.entry} ${u.digest}`)
    .sort()
    .join('\n');
