import { rmSync } from 'node:fs';
import { derivedFrom, readBytes, statFile } from '../fs/read';
import { join, sep } from 'node:path';
import type { Component } from '../hash/inputs';
import { writeFileAtomic } from '../fs/atomic';
import { canonicalJson } from '../fs/canonical-json';
import type { OutputRecord } from './outputs';

import { RECEIPTS_DIR } from '../layout';

/** Receipts are machine-local (gitignored, core/layout.ts): they say what ran here, not what was certified. */
export { RECEIPTS_DIR };

/**
 * Realization of one entry (docs/architecture.md, "Entry state"): "these output bytes came from these
 * inputs". Written only after a run exited 0 and its outputs verified.
 */
export interface Receipt {
  entry: string;
  /** Run signature the outputs were produced under (core/state/signature.ts). */
  signature: string;
  command: string;
  exitCode: number;
  /** ISO 8601 timestamps; informational only, never compared. */
  start: string;
  end: string;
  durationMs: number;
  host: string;
  outputs: OutputRecord[];
  /** What the signature was built from, so a status can say which input moved. */
  inputs: { digest: string; components: Component[] };
  upstream: UpstreamDigest[];
  /** Where the command ran, when not here: the SLURM job (docs/architecture.md, "Cluster"). */
  runner?: { kind: 'slurm'; jobId: string; node?: string; partition?: string };
  /** Set when the outputs came from the results cache (core/cache/fetch.ts) rather than from a run here. */
  source?: ReceiptSource;
}

export interface ReceiptSource {
  /** The cache's display URL (core/workspace/cache-url.ts), never credentials. */
  cache: string;
  /** Host and ISO time of the push that made the archive. */
  archivedBy: string;
  archivedAt: string;
}

export interface UpstreamDigest {
  entry: string;
  /** Digest of the upstream entry's receipt outputs, or `missing`. */
  digest: string;
}

let receiptsDir = { root: '', dir: '' };

export function receiptPath(root: string, entry: string): string {
  // Asked for every entry of every dashboard build: join the fixed part once. Entry names hold no separator (ENTRY_NAME).
  if (receiptsDir.root !== root) receiptsDir = { root, dir: join(root, RECEIPTS_DIR) };
  return `${receiptsDir.dir}${sep}${entry}.json`;
}

export function writeReceipt(root: string, receipt: Receipt): void {
  writeFileAtomic(receiptPath(root, receipt.entry), canonicalJson(receipt));
}

export function deleteReceipt(root: string, entry: string): void {
  rmSync(receiptPath(root, entry), { force: true });
}

/** The entry's receipt, or undefined when it is absent or not a well-formed receipt for this entry (either way: not fresh). */
export function readReceipt(root: string, entry: string): Receipt | undefined {
  const path = receiptPath(root, entry);
  // Most entries of a new workspace have no receipt: asking first is far cheaper than a thrown ENOENT per upstream lookup.
  if (statFile(path).kind !== 'file') return undefined;
  let bytes: Buffer;
  try {
    bytes = readBytes(path);
  } catch {
    return undefined;
  }
  const value = derivedFrom(bytes, 'receipt', () => parseReceipt(bytes));
  return value && value.entry === entry ? value : undefined;
}

function parseReceipt(bytes: Buffer): Receipt | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isReceipt(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isReceipt(v: unknown): v is Receipt {
  if (!isObject(v)) return false;
  const strings = ['entry', 'signature', 'command', 'start', 'end', 'host'].every((k) => typeof v[k] === 'string');
  const numbers = ['exitCode', 'durationMs'].every((k) => typeof v[k] === 'number');
  const outputs =
    Array.isArray(v.outputs) &&
    v.outputs.every((o) => isObject(o) && typeof o.path === 'string' && typeof o.sha256 === 'string' && typeof o.size === 'number');
  const inputs =
    isObject(v.inputs) &&
    typeof v.inputs.digest === 'string' &&
    Array.isArray(v.inputs.components) &&
    v.inputs.components.every(
      (c) => isObject(c) && typeof c.role === 'string' && typeof c.path === 'string' && typeof c.sha256 === 'string',
    );
  const upstream =
    Array.isArray(v.upstream) && v.upstream.every((u) => isObject(u) && typeof u.entry === 'string' && typeof u.digest === 'string');
  const source =
    v.source === undefined || (isObject(v.source) && ['cache', 'archivedBy', 'archivedAt'].every((k) => typeof v.source[k] === 'string'));
  return strings && numbers && outputs && inputs && upstream && source;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON value under inspection; each field is checked before use
function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
