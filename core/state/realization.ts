import { join } from 'node:path';
import { statFile } from '../fs/read';
import { isFile } from '../fs/stat';
import { diffComponents, type MovedComponent } from '../hash/moved';
import { hashFile } from '../hash/sha256';
import { MISSING } from '../hash/inputs';
import { readReceipt, receiptPath, type Receipt, type UpstreamDigest } from '../receipts/receipt';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { liveSignature, type LiveSignature } from './signature';

/**
 * Entry states this module decides, in the order docs/architecture.md ("Entry
 * state") checks them. The certification states (`spec audit needed` before
 * `script TBD`, `unbound` after it) come from the lock (core/lock/classify.ts);
 * core/state/entry-state.ts puts both axes together.
 *
 * `needs review` is `stale` narrowed for report and figure artefacts: the only
 * input that moved is the spec's shared text (its artefact design, its
 * prose), so the exporter, its entry block and the numbers it reads are
 * unchanged. The run treats it like `stale` (it re-exports, so the artefact is
 * regenerated for someone to look at), but says `needs review`: the bytes may
 * well come out the same, and the person who edited the design should check
 * that the artefact now matches it.
 */
export type RealizationState = 'script TBD' | 'missing' | 'stale' | 'needs review' | 'fresh';

/** One upstream entry whose contribution to the signature moved since the receipt. */
export interface UpstreamMove {
  entry: string;
  change: 'outputs changed' | 'no receipt' | 'no longer read';
}

/** Why an entry is in its realization state, as data (Snakemake's `Reason`); core/state/describe.ts says it in words. */
export type RealizationReason =
  | { kind: 'script-tbd'; note?: string }
  | { kind: 'output-missing'; path: string; others: number }
  | { kind: 'no-receipt' }
  | { kind: 'receipt-unreadable'; receipt: string }
  | { kind: 'inputs-moved'; moved: MovedComponent[]; command?: { before: string; now: string }; upstream: UpstreamMove[] }
  | { kind: 'output-removed'; path: string }
  | { kind: 'output-changed'; path: string }
  | { kind: 'shared-text-only'; spec: string }
  | { kind: 'matches'; outputs: number };

export interface Classification {
  state: RealizationState;
  why: RealizationReason;
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
    return { state: 'script TBD', why: { kind: 'script-tbd', ...(entry.statusNote ? { note: entry.statusNote } : {}) }, live };
  }
  return { ...realization(root, entry, live), live };
}

type Found = { state: RealizationState; why: RealizationReason; receipt?: Receipt };

function realization(root: string, entry: Entry, live: LiveSignature): Found {
  const absent = entry.outputs.filter((p) => !isFile(join(root, p)));
  if (absent.length) return { state: 'missing', why: { kind: 'output-missing', path: absent[0], others: absent.length - 1 } };
  const receipt = readReceipt(root, entry.name);
  if (!receipt) {
    const unreadable = statFile(receiptPath(root, entry.name)).kind !== 'absent';
    return { state: 'stale', why: unreadable ? { kind: 'receipt-unreadable', receipt: entry.name } : { kind: 'no-receipt' } };
  }
  const review = receipt.signature !== live.signature && entry.family === 'export' ? sharedTextOnly(receipt, live) : undefined;
  if (receipt.signature !== live.signature && !review) return { state: 'stale', why: inputsMoved(receipt, live), receipt };
  for (const o of receipt.outputs) {
    const now = hashFile(join(root, o.path));
    if (!now) return { state: 'stale', why: { kind: 'output-removed', path: o.path }, receipt };
    if (now.sha256 !== o.sha256) return { state: 'stale', why: { kind: 'output-changed', path: o.path }, receipt };
  }
  if (review) return { state: 'needs review', why: { kind: 'shared-text-only', spec: review }, receipt };
  return { state: 'fresh', why: { kind: 'matches', outputs: receipt.outputs.length }, receipt };
}

/** What moved between the receipt's signature and the live one: components, the command, upstream outputs. */
function inputsMoved(receipt: Receipt, live: LiveSignature): RealizationReason {
  const before = new Map(receipt.upstream.map((u) => [u.entry, u.digest]));
  const upstream: UpstreamMove[] = [];
  for (const u of live.upstream) {
    if (u.digest === MISSING && before.get(u.entry) !== MISSING) upstream.push({ entry: u.entry, change: 'no receipt' });
    else if (before.get(u.entry) !== u.digest) upstream.push({ entry: u.entry, change: 'outputs changed' });
  }
  const now = new Set(live.upstream.map((u) => u.entry));
  for (const name of before.keys()) if (!now.has(name)) upstream.push({ entry: name, change: 'no longer read' });
  return {
    kind: 'inputs-moved',
    moved: diffComponents(receipt.inputs.components, live.inputs.components),
    ...(receipt.command !== live.command ? { command: { before: receipt.command, now: live.command } } : {}),
    upstream,
  };
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
