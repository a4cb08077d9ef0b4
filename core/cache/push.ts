import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';
import { canonicalJson } from '../fs/canonical-json';
import type { Receipt } from '../receipts/receipt';
import { ArchiveRefused, packArchive, type PackedArchive } from './archive';
import { CacheStoreError, errorText, type StoreErrorCategory } from './errors';
import { archiveKey, entryKeyProblem, manifestKey } from './keys';
import { MANIFEST_FORMAT, type Manifest } from './manifest';
import { byPath, rootsProblem } from './paths';
import type { CacheStore, PutResult } from './store';

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
  /** zlib level for compressible files (default 1); already-compressed files are stored (core/cache/archive.ts). */
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
 * Pushes one realized entry to the results cache (docs/architecture.md, "Results cache"): archives its
 * outputs straight into the upload (no copy on disk: the upload runs while the
 * archive is made, which is what keeps a 200 MB push within 1.25x of `aws s3
 * cp`, bench/README.md), checks the archived files against the receipt, then
 * uploads the manifest, which completes the entry. Never overwrites: an entry
 * already there answers `exists`. Never throws for a store or output problem:
 * those come back as `refused` with a one-line message.
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
  const upload = () => packInto(store, aKey, root, roots, options.gzipLevel);
  try {
    // A complete entry is never replaced; asking first also spares archiving it again.
    if (await store.has(mKey)) return { status: 'exists' };
    const archived = await putArchive(store, aKey, mKey, upload);
    if (archived.kind === 'complete') return { status: 'exists' };
    if (archived.kind === 'busy') return refused('busy', archived.reason);
    const packed = archived.packed;
    const drift = outputsDrift(receipt, packed.files);
    if (drift) {
      await store.delete(aKey); // ours, and no manifest points at it
      return refused('outputs', `${drift} since its receipt was written; run it again, then push`);
    }
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
    if ((await store.putBytes(mKey, Buffer.from(canonicalJson(manifest)))) === 'exists') return { status: 'exists' };
    return { status: 'pushed', files: packed.files.length, bytes: packed.files.reduce((n, f) => n + f.size, 0), archiveBytes: packed.size };
  } catch (error) {
    if (error instanceof CacheStoreError) return refused(error.category, error.detail);
    if (error instanceof ArchiveRefused) return refused('outputs', error.message);
    // Not the store's (its errors are CacheStoreErrors): reading this entry's outputs failed.
    return refused('outputs', `cannot archive its outputs (${errorText(error)}); check the workspace`);
  }
}

/** Archives the roots into a stream the store consumes as it comes; answers what the store did and what was archived. */
async function packInto(
  store: CacheStore,
  key: string,
  root: string,
  roots: readonly string[],
  gzipLevel: number | undefined,
): Promise<{ put: PutResult; packed: PackedArchive }> {
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  // A failed body is reported by the two promises below; the stream's own 'error' event needs no listener of its own.
  body.on('error', () => undefined);
  const put = store.putStream(key, body);
  // A store that gives up stops reading: fail the stream, so the archiver does not wait on it for ever.
  put.catch((error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))));
  const [packed, stored] = await Promise.allSettled([packArchive(root, roots, body, { gzipLevel }), put]);
  // The archiver's refusal (a file changed under it) says more than the store's "the body failed" that follows from it.
  if (packed.status === 'rejected' && (packed.reason instanceof ArchiveRefused || stored.status === 'fulfilled')) throw packed.reason;
  if (stored.status === 'rejected') throw stored.reason;
  if (packed.status === 'rejected') throw packed.reason;
  return { put: stored.value, packed: packed.value };
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
  upload: () => Promise<{ put: PutResult; packed: PackedArchive }>,
): Promise<{ kind: 'stored'; packed: PackedArchive } | { kind: 'complete' } | { kind: 'busy'; reason: string }> {
  const first = await upload();
  if (first.put === 'stored') return { kind: 'stored', packed: first.packed };
  if (await store.has(mKey)) return { kind: 'complete' };
  const existing = (await store.list(aKey)).find((o) => o.key === aKey);
  const age = existing ? Date.now() - Date.parse(existing.lastModified) : Infinity;
  if (age < ORPHAN_AGE_MS) {
    const reason = `another push of it is under way (${aKey} is there, ${Math.round(age / 1000)} s old, its manifest not yet); try again later`;
    return { kind: 'busy', reason };
  }
  await store.delete(aKey);
  const second = await upload();
  if (second.put === 'stored') return { kind: 'stored', packed: second.packed };
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
