import { hostname } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../receipts/canonical-json';
import type { Receipt } from '../receipts/receipt';
import { ArchiveRefused, packArchive } from './archive';
import { CacheStoreError, errorText, type StoreErrorCategory } from './errors';
import { archiveKey, entryKeyProblem, manifestKey } from './keys';
import { MANIFEST_FORMAT, type Manifest } from './manifest';
import { byPath, rootsProblem } from './paths';
import { makeStaging } from './staging';
import type { CacheStore } from './store';

export interface PushEntryOptions {
  /** Workspace root (absolute). */
  root: string;
  store: CacheStore;
  entry: string;
  /** The run signature the outputs were made under (core/state/signature.ts); must be the receipt's. */
  signature: string;
  /** The entry's receipt (core/receipts/receipt.ts); its outputs must still match the files on disk. */
  receipt: Receipt;
  /** The entry's owned output roots, workspace-relative (WorkspaceModel.outputRoots, core/workspace/output-roots.ts). */
  roots: readonly string[];
  /** The plugin's version, recorded in the manifest (core/scaffold/templates.ts packageVersion). */
  toolVersion: string;
  /** zlib level for compressible files (default 6); already-compressed files are stored (core/cache/archive.ts). */
  gzipLevel?: number;
  host?: string;
  now?: () => Date;
}

/**
 * `outputs`: the files cannot be archived (a symlink, a special file, changed since the receipt);
 * `busy`: another push of the same entry is half done; the rest are the store's categories.
 */
export type PushRefusal = 'outputs' | 'busy' | StoreErrorCategory;

export type PushResult =
  | { status: 'pushed'; files: number; bytes: number; archiveBytes: number }
  | { status: 'exists' }
  | { status: 'refused'; category: PushRefusal; reason: string; message: string };

/** An archive whose manifest has not followed for this long belongs to a push that died, not to one under way. */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * Pushes one realized entry to the results cache (DESIGN.md §8): archives its
 * outputs into `.specthis/staging/`, checks them against the receipt, uploads
 * the archive, then the manifest, which completes the entry. Never overwrites:
 * an entry already there answers `exists`. Never throws for a store or output
 * problem: those come back as `refused` with a one-line message.
 */
export async function pushEntry(options: PushEntryOptions): Promise<PushResult> {
  const { root, store, entry, signature, receipt } = options;
  const refused = (category: PushRefusal, reason: string): PushResult => ({
    status: 'refused',
    category,
    reason,
    message: `cache ${store.url}: ${entry} not pushed: ${reason}`,
  });
  const problem =
    entryKeyProblem(signature, entry) ??
    rootsProblem(options.roots) ??
    (receipt.entry !== entry || receipt.signature !== signature
      ? `the receipt given is for ${receipt.entry} at another signature`
      : undefined);
  if (problem) return refused('config', problem);
  const roots = [...options.roots].sort(byPath);
  const aKey = archiveKey(signature, entry);
  const mKey = manifestKey(signature, entry);
  let staging;
  try {
    // A complete entry is never replaced; asking first also spares archiving it again.
    if (await store.has(mKey)) return { status: 'exists' };
    staging = makeStaging(root, `push-${entry}`);
    const file = join(staging.dir, `${entry}.tar.gz`);
    const packed = await packArchive(root, roots, file, { gzipLevel: options.gzipLevel });
    const drift = outputsDrift(receipt, packed.files);
    if (drift) return refused('outputs', `${drift} since its receipt was written; run it again, then push`);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      entry,
      signature,
      receipt,
      roots,
      archive: { sha256: packed.sha256, size: packed.size },
      files: packed.files,
      directories: packed.directories,
      toolVersion: options.toolVersion,
      host: options.host ?? hostname(),
      createdAt: (options.now?.() ?? new Date()).toISOString(),
    };
    const archived = await putArchive(store, aKey, mKey, file);
    if (archived.kind === 'complete') return { status: 'exists' };
    if (archived.kind === 'busy') return refused('busy', archived.reason);
    if ((await store.putBytes(mKey, Buffer.from(canonicalJson(manifest)))) === 'exists') return { status: 'exists' };
    return { status: 'pushed', files: packed.files.length, bytes: packed.files.reduce((n, f) => n + f.size, 0), archiveBytes: packed.size };
  } catch (error) {
    if (error instanceof CacheStoreError) return refused(error.category, error.detail);
    if (error instanceof ArchiveRefused) return refused('outputs', error.message);
    return refused('io', `cannot archive its outputs (${errorText(error)}); check the workspace and .specthis/staging`);
  } finally {
    staging?.cleanup();
  }
}

/**
 * Stores the archive, first writer wins. An archive already there without a
 * manifest is another push under way (answered as busy), or, once older than
 * ORPHAN_AGE_MS, one that died before its manifest: that one is replaced.
 */
async function putArchive(
  store: CacheStore,
  aKey: string,
  mKey: string,
  file: string,
): Promise<{ kind: 'stored' } | { kind: 'complete' } | { kind: 'busy'; reason: string }> {
  if ((await store.putFile(aKey, file)) === 'stored') return { kind: 'stored' };
  if (await store.has(mKey)) return { kind: 'complete' };
  const existing = (await store.list(aKey)).find((o) => o.key === aKey);
  const age = existing ? Date.now() - Date.parse(existing.lastModified) : Infinity;
  if (age < ORPHAN_AGE_MS) {
    const reason = `another push of it is under way (${aKey} is there, ${Math.round(age / 1000)} s old, its manifest not yet); try again later`;
    return { kind: 'busy', reason };
  }
  await store.delete(aKey);
  if ((await store.putFile(aKey, file)) === 'stored') return { kind: 'stored' };
  return {
    kind: 'busy',
    reason: `another push of it is under way (${aKey} reappeared while an abandoned copy was replaced); try again later`,
  };
}

/** The first difference between the receipt's outputs and the files archived, as "<path> changed" or the like. */
function outputsDrift(receipt: Receipt, files: readonly { path: string; size: number; sha256: string }[]): string | undefined {
  const recorded = new Map(receipt.outputs.map((o) => [o.path, o]));
  for (const f of files) {
    const r = recorded.get(f.path);
    if (!r) return `${f.path} appeared`;
    if (r.sha256 !== f.sha256 || r.size !== f.size) return `${f.path} changed`;
    recorded.delete(f.path);
  }
  const [gone] = [...recorded.keys()].sort(byPath);
  return gone === undefined ? undefined : `${gone} is gone`;
}
