import { canonicalJson } from '../fs/canonical-json';

/**
 * Where Nx's artefacts live in a results-cache store (core/cache/store.ts),
 * beside the results cache's own `cache/` keys (core/cache/keys.ts):
 *
 *     nx/<hash>/<sha256>.tar.gz   the gzip tar Nx uploaded, named by its own SHA-256
 *     nx/<hash>.json              the record: that SHA-256 and size, written last
 *
 * The record is what makes a hash a hit, and it is written only after its
 * archive is complete (stores never overwrite, core/cache/store.ts). Naming the
 * archive by its digest means a writer that died between the two writes leaves
 * an unreferenced object, never one that blocks the hash, and two writers of one
 * hash with different bytes (Nx's archives carry mtimes) never collide on the
 * archive: they race on the record, and the first one wins.
 */
export const NX_KEY_ROOT = 'nx';

/**
 * An Nx task hash as Nx 24 makes it: a 64-bit xxh3 digest in decimal (at most
 * 20 digits; e2e/__fixtures__/example-fingerprint.json). Digits only, so a
 * hash can never be a path segment with meaning (`..`, `/`, `%2e`); the bound
 * leaves room for a longer digest without admitting unbounded keys.
 */
export const NX_HASH = /^[0-9]{1,32}$/;

export const recordKey = (hash: string): string => `${NX_KEY_ROOT}/${hash}.json`;
export const archiveKey = (hash: string, sha256: string): string => `${NX_KEY_ROOT}/${hash}/${sha256}.tar.gz`;

export const RECORD_FORMAT = 'specthis-nx-cache/1';
/** A record is a few lines of JSON; anything bigger is not one. */
export const MAX_RECORD_BYTES = 4096;

/** What a record says about the archive it completes. */
export interface NxRecord {
  format: typeof RECORD_FORMAT;
  hash: string;
  sha256: string;
  size: number;
}

export function recordBytes(record: Omit<NxRecord, 'format'>): Buffer {
  return Buffer.from(canonicalJson({ format: RECORD_FORMAT, ...record }), 'utf8');
}

/** The record `bytes` hold for `hash`, or why they hold none (a reason for the log). */
export function parseRecord(bytes: Buffer, hash: string): { ok: true; record: NxRecord } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the record is not JSON' };
  }
  const r = (value ?? {}) as Partial<Record<keyof NxRecord, unknown>>;
  if (r.format !== RECORD_FORMAT) return { ok: false, reason: `the record's format is not ${RECORD_FORMAT}` };
  if (r.hash !== hash) return { ok: false, reason: 'the record names another hash' };
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256)) return { ok: false, reason: 'the record has no valid sha256' };
  if (typeof r.size !== 'number' || !Number.isSafeInteger(r.size) || r.size < 0)
    return { ok: false, reason: 'the record has no valid size' };
  return { ok: true, record: { format: RECORD_FORMAT, hash, sha256: r.sha256, size: r.size } };
}
