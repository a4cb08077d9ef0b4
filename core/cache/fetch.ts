import { lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { receiptPath, writeReceipt, type Receipt } from '../receipts/receipt';
import { ArchiveRefused, extractArchive } from './archive';
import { CacheStoreError, errorText, type StoreErrorCategory } from './errors';
import { archiveKey, entryKeyProblem, manifestKey } from './keys';
import { MAX_MANIFEST_BYTES, parseManifest } from './manifest';
import { byPath, rootsProblem } from './paths';
import { makeStaging } from './staging';
import type { CacheStore } from './store';

export interface FetchEntryOptions {
  /** Workspace root (absolute). */
  root: string;
  store: CacheStore;
  entry: string;
  /** The signature the entry would run under now (core/state/signature.ts liveSignature). */
  signature: string;
  /** The entry's owned output roots (WorkspaceModel.outputRoots): what is replaced, and where every member must lie. */
  roots: readonly string[];
  /** Refuse archives larger than this (default: only what the manifest says). */
  maxArchiveBytes?: number;
}

/**
 * `absent`: the cache has no complete entry for this signature (the ordinary miss);
 * `refused`: the archive holds something the allow-list rejects (a link, `..`, a setuid bit, …);
 * `corrupt`: manifest or archive bytes that disagree; `workspace`: unpacking or moving into
 * the workspace failed; the rest are the store's categories.
 */
export type FetchMissCategory = 'absent' | 'refused' | 'workspace' | StoreErrorCategory;

export type FetchResult =
  | { status: 'fetched'; receipt: Receipt; files: number; bytes: number; archiveBytes: number }
  | { status: 'miss'; category: FetchMissCategory; reason: string; message: string };

/**
 * Fetches one entry from the results cache (docs/architecture.md, "Results cache") and puts its outputs
 * and receipt in place, or changes nothing at all:
 *
 * 1. the manifest (size-capped), checked strictly against the entry, signature and roots asked for;
 * 2. the archive, into `.specthis/staging/` (the workspace's file system), its size and
 *    SHA-256 checked against the manifest before anything is unpacked;
 * 3. unpacked by core/cache/archive.ts's allow-list, every file's size and SHA-256 checked;
 * 4. the receipt removed, each root renamed aside and the new one renamed in, the
 *    receipt (with `source`) written; any failure on the way undoes every step.
 *
 * On any failure the outputs, the receipt and `.specthis/staging` are as they
 * were, and the result is a miss with a one-line message. Never throws.
 */
export async function fetchEntry(options: FetchEntryOptions): Promise<FetchResult> {
  const { root, store, entry, signature } = options;
  const miss = (category: FetchMissCategory, reason: string): FetchResult => ({
    status: 'miss',
    category,
    reason,
    message: `cache ${store.url}: ${entry} not fetched: ${reason}`,
  });
  const problem = entryKeyProblem(signature, entry) ?? rootsProblem(options.roots);
  if (problem) return miss('config', problem);
  const roots = [...options.roots].sort(byPath);
  const aKey = archiveKey(signature, entry);
  const mKey = manifestKey(signature, entry);
  // The store's URL and the key, prefix included: what to delete, as the store's own tools name it.
  const remove = `remove ${store.url.replace(/\/$/, '')}/${aKey.replace(/\.tar\.gz$/, '.*')} from the cache`;
  let staging;
  try {
    const bytes = await store.getBytes(mKey, MAX_MANIFEST_BYTES);
    if (!bytes) return miss('absent', `no cache entry for signature ${signature.slice(0, 12)}…`);
    const checked = parseManifest(bytes, { entry, signature, roots });
    if (!checked.ok) return miss('corrupt', `corrupt manifest ${mKey}: ${checked.problem}; ${remove}`);
    const manifest = checked.manifest;
    if (options.maxArchiveBytes !== undefined && manifest.archive.size > options.maxArchiveBytes) {
      return miss('too-large', `its archive is ${manifest.archive.size} bytes, more than the ${options.maxArchiveBytes} allowed`);
    }
    staging = makeStaging(root, `fetch-${entry}`);
    const archive = join(staging.dir, 'archive.tar.gz');
    const got = await store.getToFile(aKey, archive, manifest.archive.size);
    if (!got) return miss('corrupt', `${aKey} is missing though its manifest is there; ${remove}`);
    if (got.size !== manifest.archive.size) {
      return miss('corrupt', `corrupt archive: ${got.size} bytes, its manifest says ${manifest.archive.size}; ${remove}`);
    }
    if (got.sha256 !== manifest.archive.sha256) return miss('corrupt', `corrupt archive: sha256 mismatch (${aKey}); ${remove}`);
    const incoming = join(staging.dir, 'new');
    mkdirSync(incoming);
    await extractArchive(archive, incoming, { files: manifest.files, directories: manifest.directories, roots });
    rmSync(archive); // the space, before the outputs move in
    const receipt: Receipt = {
      ...manifest.receipt,
      source: { cache: store.url, archivedBy: manifest.host, archivedAt: manifest.createdAt },
    };
    installOutputs(root, staging.dir, roots, receipt);
    return {
      status: 'fetched',
      receipt,
      files: manifest.files.length,
      bytes: manifest.files.reduce((n, f) => n + f.size, 0),
      archiveBytes: manifest.archive.size,
    };
  } catch (error) {
    if (error instanceof CacheStoreError) return miss(error.category, error.detail);
    if (error instanceof ArchiveRefused) {
      const hint =
        error.kind === 'refused' ? `; specthis never writes such an archive: ${remove} and check who can write to it` : `; ${remove}`;
      return miss(error.kind === 'refused' ? 'refused' : 'corrupt', `${error.message}${hint}`);
    }
    // Not the store's (its errors are CacheStoreErrors): unpacking or moving into this workspace failed.
    if (error instanceof InstallFailed) return miss('workspace', error.message);
    return miss('workspace', `${errorText(error)}; check the workspace and .specthis/staging`);
  } finally {
    staging?.cleanup();
  }
}

class InstallFailed extends Error {}

/**
 * Moves the unpacked roots from `<staging>/new` into the workspace, one
 * rename per root (atomic: same file system), the old root parked in
 * `<staging>/old` first. The receipt goes before the first move and comes
 * back last, so a crash part-way leaves no receipt vouching for mixed
 * outputs; a failure undoes every step in reverse.
 */
function installOutputs(root: string, staging: string, roots: readonly string[], receipt: Receipt): void {
  const parked = join(staging, 'old');
  mkdirSync(parked);
  const undo: (() => void)[] = [];
  const receiptFile = receiptPath(root, receipt.entry);
  let step = 'remove the old receipt';
  try {
    const oldReceipt = readIfExists(receiptFile);
    if (oldReceipt !== undefined) {
      rmSync(receiptFile);
      undo.push(() => writeFileAtomic(receiptFile, oldReceipt));
    }
    roots.forEach((r, i) => {
      const target = join(root, ...r.split('/'));
      const incoming = join(staging, 'new', ...r.split('/'));
      step = `move ${r} aside`;
      if (exists(target)) {
        const aside = join(parked, String(i));
        renameSync(target, aside);
        undo.push(() => renameSync(aside, target));
      }
      step = `move the fetched ${r} into place`;
      if (exists(incoming)) {
        const made = mkdirSync(dirname(target), { recursive: true });
        if (made) undo.push(() => removeEmptyDirs(dirname(target), made));
        renameSync(incoming, target);
        undo.push(() => renameSync(target, incoming));
      }
    });
    step = 'write the receipt';
    writeReceipt(root, receipt);
  } catch (error) {
    for (const u of undo.reverse()) {
      try {
        u();
      } catch {
        // keep undoing the rest
      }
    }
    throw new InstallFailed(`could not ${step} (${errorText(error)}); the previous outputs were put back`);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes `dir` and its parents up to and including `top` while they are empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; d.length >= top.length; d = dirname(d)) rmdirSync(d);
}
