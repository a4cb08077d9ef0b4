import { join } from 'node:path';
import type { Component } from '../hash/inputs';
import { lockFileRel } from '../layout';

/** The lock lives beside the specs and is committed: certification is a team claim, not a machine-local one. */
export { LOCK_FILE, lockFileRel } from '../layout';

/**
 * One entry's certification (docs/architecture.md, "Entry state"): "a person or agent checked that this
 * code satisfies this contract, and these are the inputs they checked".
 */
export interface LockRecord {
  /** SHA-256 of the framed components (core/hash/inputs.ts). */
  inputs_certified: string;
  /** FRAMING_VERSION the digest was computed under; a framing change then reads as drift of this record only. */
  framing: string;
  /** In framing order, so a status can name which input moved. */
  components: Component[];
  /** The entry's spec's `depends_on`, as spec paths relative to specsDir, sorted. */
  depends_on: string[];
  author: string;
  /** ISO 8601; informational, never compared. */
  ts: string;
}

/**
 * Entry name -> record. Only entry names sit at the top level: the plugin's Nx
 * input for an entry hashes `{json: _lock.json, fields: [<entry>]}`, so any other
 * top-level key would be invisible to every task hash (and a version key would be
 * a fake entry).
 */
export type Lock = Record<string, LockRecord>;

export function lockFilePath(root: string, specsDir: string): string {
  return join(root, lockFileRel(specsDir));
}

/** The entry's record; own keys only, so an entry named `constructor` is not found on Object.prototype. */
export function recordOf(lock: Lock, entry: string): LockRecord | undefined {
  return Object.prototype.hasOwnProperty.call(lock, entry) ? lock[entry] : undefined;
}
