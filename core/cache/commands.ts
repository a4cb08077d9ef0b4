import type { Lock } from '../lock/types';
import { packageVersion } from '../package';
import type { ReceiptSource } from '../receipts/receipt';
import type { Entry } from '../spec/types';
import { entryState } from '../state/entry-state';
import type { CertificationState } from '../lock/classify';
import type { RealizationState } from '../state/realization';
import { isFile } from '../fs/stat';
import { join } from 'node:path';
import { outputsDigest } from '../receipts/outputs';
import { frameSignature } from '../state/signature';
import { cacheSettings, type CacheSettings } from '../workspace/cache-settings';
import { pathsOutside } from '../workspace/entry-paths';
import type { WorkspaceModel } from '../workspace/types';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { table } from '../table';
import { canonicalJson } from '../fs/canonical-json';
import { listEntries, pruneOlderThan, type CachedEntry, type PruneResult } from './entries';
import { fetchEntry } from './fetch';
import { manifestKey } from './keys';
import { MAX_MANIFEST_BYTES, parseManifest } from './manifest';
import { openStore } from './open';
import { byPath } from './paths';
import { pushEntry } from './push';
import type { CacheStore } from './store';
import { CacheStoreError } from './errors';

/**
 * The results cache's operations over a workspace, for `specthis cache` and
 * the `cache` executor alike: status (the dry run of what a run would fetch,
 * run or skip), push, fetch, has, list, prune. Each entry's fate is decided
 * as the run decides it (core/run/run-entry.ts): what the run would refuse is
 * never fetched.
 */
export type CacheAction = 'skip' | 'fetch' | 'run' | 'refuse';

export interface CacheStatusRow {
  entry: string;
  spec: string;
  certification: CertificationState;
  realization: RealizationState;
  /** The run signature the entry has now: the key it is fetched and pushed under. */
  signature: string;
  /** The cache holds a complete entry under this signature. */
  cached: boolean;
  action: CacheAction;
  /** Why, in a few words. */
  why: string;
  /** Where the outputs here came from, when from the cache. */
  source?: ReceiptSource;
}

export class CacheCommandError extends Error {
  constructor(
    message: string,
    /** usage: asked wrongly; workspace: the configuration is wrong; store: the store failed (one line, like a run's warning). */
    readonly kind: 'usage' | 'workspace' | 'store',
  ) {
    super(message);
  }
}

/** The configured cache, opened: nx.json's `cache` with SPECTHIS_CACHE_* applied. */
export function openConfiguredCache(
  root: string,
  model: WorkspaceModel,
  env: NodeJS.ProcessEnv = process.env,
): { store: CacheStore; settings: CacheSettings } {
  const { settings, problems } = cacheSettings(model.options.cache, root, env);
  if (problems.length)
    throw new CacheCommandError(problems.map((p) => formatDiagnostic(p, { specsDir: model.options.specsDir })).join('\n'), 'workspace');
  if (!settings) {
    throw new CacheCommandError(
      'specthis cache: no results cache is configured; set the plugin option "cache" in nx.json ({ "url": "s3://bucket/prefix" }) or SPECTHIS_CACHE_URL',
      'usage',
    );
  }
  const store = openStore(settings.location, {
    s3: { ...(settings.region ? { region: settings.region } : {}), ...(settings.endpoint ? { endpoint: settings.endpoint } : {}), env },
  });
  return { store, settings };
}

interface Decided extends CacheStatusRow {
  /** The digest of the outputs this entry will have after the run's step for it: its receipt's, the cached receipt's, or none yet. */
  outputs?: string;
}

/**
 * What a run would do with one entry, given what it would already have done
 * upstream (`ahead`): an upstream it would fetch moves this entry's signature
 * to the one the fetched receipt gives, so a whole pipeline is seen as
 * fetchable before anything is fetched.
 */
async function decide(
  root: string,
  model: WorkspaceModel,
  entry: Entry,
  lock: Lock,
  cache: { store: CacheStore; complete: Set<string>; read: boolean; readers?: ReadonlySet<string> },
  ahead: ReadonlyMap<string, Decided>,
): Promise<Decided> {
  const { certification, realization } = entryState(root, model, entry, lock);
  const live = realization.live;
  const pending = live.upstream.map((u) => ahead.get(u.entry)).filter((d) => d && (d.action === 'fetch' || d.action === 'run'));
  const waits = pending.find((d) => d?.action === 'run' || d?.outputs === undefined);
  const signature = pending.length
    ? frameSignature(
        live.inputs.digest,
        live.command,
        live.upstream.map((u) => ({ entry: u.entry, digest: ahead.get(u.entry)?.outputs ?? u.digest })),
      )
    : live.signature;
  const has = cache.complete.has(`${entry.name}\n${signature}`);
  const receipt = realization.receipt;
  const row = async (action: CacheAction, why: string): Promise<Decided> => {
    const source = action === 'skip' ? receipt?.source : undefined;
    const outputs =
      action === 'skip' && receipt
        ? outputsDigest(receipt.outputs)
        : action === 'fetch' && (cache.readers?.has(entry.name) ?? true)
          ? await cachedOutputsDigest(cache.store, entry, signature, model.outputRoots.get(entry.name) ?? [])
          : undefined;
    return {
      entry: entry.name,
      spec: entry.specFile,
      certification: certification.state,
      realization: realization.state,
      signature,
      cached: has,
      action,
      why,
      ...(source ? { source } : {}),
      ...(outputs ? { outputs } : {}),
    };
  };
  if (certification.state === 'spec audit needed') return row('refuse', 'spec audit needed');
  if (realization.state === 'script TBD') return row('refuse', 'script TBD');
  if (certification.state === 'unbound' && model.options.requireCertified) return row('refuse', 'never certified (requireCertified)');
  if (pathsOutside(root, entry, model.outputRoots.get(entry.name) ?? []).length) return row('refuse', 'a path links out of the workspace');
  if (entry.script && !isFile(join(root, entry.script))) return row('refuse', `script ${entry.script} does not exist`);
  if (waits) return row('run', `waits on ${waits.entry}, which runs first: its outputs decide this signature`);
  if (pending.length ? receipt?.signature === signature : realization.state === 'fresh') return row('skip', 'fresh');
  if (has && cache.read)
    return row(
      'fetch',
      pending.length ? `in the cache, once ${pending.map((d) => d?.entry).join(', ')} is fetched` : 'in the cache under its signature',
    );
  return row('run', has ? 'in the cache, but reading is off' : 'not in the cache under its signature');
}

/** The outputs digest the cached receipt gives, from the manifest alone; undefined when it cannot be read or checked. */
async function cachedOutputsDigest(
  store: CacheStore,
  entry: Entry,
  signature: string,
  roots: readonly string[],
): Promise<string | undefined> {
  try {
    const bytes = await store.getBytes(manifestKey(signature, entry.name), MAX_MANIFEST_BYTES);
    const checked = bytes && parseManifest(bytes, { entry: entry.name, signature, roots: [...roots].sort(byPath) });
    return checked && checked.ok ? outputsDigest(checked.manifest.receipt.outputs) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Entries in the order a run takes them: upstream first (core/workspace
 * upstream map), ties in pipeline-reading order; the named ones or all. An
 * unknown name is a usage error.
 */
function select(model: WorkspaceModel, names: readonly string[] | 'all'): Entry[] {
  const reading = [...model.entries.values()].sort((a, b) =>
    a.specFile !== b.specFile ? (a.specFile < b.specFile ? -1 : 1) : a.line - b.line,
  );
  const wanted =
    names === 'all'
      ? new Set(reading.map((e) => e.name))
      : new Set(
          names.map((n) => {
            if (!model.entries.has(n))
              throw new CacheCommandError(
                `specthis cache: no entry "${n}" in ${model.options.specsDir}/ (or its spec has errors: specthis status ${n})`,
                'usage',
              );
            return n;
          }),
        );
  const order: Entry[] = [];
  const seen = new Set<string>();
  const visit = (e: Entry) => {
    if (seen.has(e.name)) return;
    seen.add(e.name);
    for (const u of model.upstream.get(e.name)?.entries ?? []) {
      const up = model.entries.get(u);
      if (up) visit(up);
    }
    order.push(e);
  };
  reading.forEach(visit);
  return order.filter((e) => wanted.has(e.name));
}

async function completeEntries(store: CacheStore): Promise<Set<string>> {
  return new Set((await listEntries(store)).filter((e) => e.complete).map((e) => `${e.entry}\n${e.signature}`));
}

/**
 * What a run of the entries would do with each, from one listing of the cache
 * and one manifest per entry it would fetch. Upstream entries outside `names`
 * are decided too, since a downstream signature waits on them, but not shown.
 */
export async function cacheStatus(
  root: string,
  model: WorkspaceModel,
  lock: Lock,
  names: readonly string[] | 'all',
  env?: NodeJS.ProcessEnv,
): Promise<CacheStatusRow[]> {
  const { store, settings } = openConfiguredCache(root, model, env);
  try {
    const order = select(model, names === 'all' ? 'all' : withUpstream(model, names));
    // Only an entry that another one reads needs its cached manifest read (for the downstream signature).
    const read = new Set(order.flatMap((e) => model.upstream.get(e.name)?.entries ?? []));
    const cache = { store, complete: await completeEntries(store), read: settings.read, readers: read };
    const shown = new Set(select(model, names).map((e) => e.name));
    const ahead = new Map<string, Decided>();
    // Level by level (an entry after everything it reads), the manifests of one level read MANIFEST_READS at a time.
    for (const level of levels(model, order)) {
      for (let i = 0; i < level.length; i += MANIFEST_READS) {
        const decided = await Promise.all(level.slice(i, i + MANIFEST_READS).map((e) => decide(root, model, e, lock, cache, ahead)));
        for (const d of decided) ahead.set(d.entry, d);
      }
    }
    const byName = new Map([...ahead.values()].map((d) => [d.entry, d]));
    return order
      .filter((e) => shown.has(e.name))
      .map((e) => byName.get(e.name)!)
      .map(({ outputs: _, ...row }) => row);
  } finally {
    store.close();
  }
}

const MANIFEST_READS = 16;

/** `order` (upstream first) cut into levels: each entry one past the deepest entry of `order` it reads. */
function levels(model: WorkspaceModel, order: readonly Entry[]): Entry[][] {
  const depth = new Map<string, number>();
  const out: Entry[][] = [];
  for (const e of order) {
    const d = Math.max(-1, ...(model.upstream.get(e.name)?.entries ?? []).map((u) => depth.get(u) ?? -1)) + 1;
    depth.set(e.name, d);
    (out[d] ??= []).push(e);
  }
  return out.filter(Boolean);
}

function withUpstream(model: WorkspaceModel, names: readonly string[]): string[] {
  const all = new Set<string>();
  const add = (n: string) => {
    if (all.has(n) || !model.entries.has(n)) return;
    all.add(n);
    (model.upstream.get(n)?.entries ?? []).forEach(add);
  };
  for (const n of names) {
    select(model, [n]);
    add(n);
  }
  return [...all];
}

export interface CacheTransfer {
  entry: string;
  outcome: 'pushed' | 'fetched' | 'exists' | 'skipped' | 'failed';
  message: string;
}

/** Pushes the fresh ones among the entries (their receipts vouch for their outputs); the others are skipped, saying why. */
export async function cachePush(
  root: string,
  model: WorkspaceModel,
  lock: Lock,
  names: readonly string[] | 'all',
  env?: NodeJS.ProcessEnv,
): Promise<CacheTransfer[]> {
  const { store } = openConfiguredCache(root, model, env);
  const out: CacheTransfer[] = [];
  try {
    for (const entry of select(model, names)) {
      const { realization } = entryState(root, model, entry, lock);
      if (realization.state !== 'fresh' || !realization.receipt) {
        out.push({ entry: entry.name, outcome: 'skipped', message: `${entry.name} is ${realization.state}, not fresh: run it first` });
        continue;
      }
      const put = await pushEntry({
        root,
        store,
        entry: entry.name,
        signature: realization.receipt.signature,
        receipt: realization.receipt,
        roots: model.outputRoots.get(entry.name) ?? [],
        toolVersion: version(),
      });
      if (put.status === 'pushed')
        out.push({ entry: entry.name, outcome: 'pushed', message: `${entry.name}: pushed ${put.files} file${put.files === 1 ? '' : 's'}` });
      else if (put.status === 'exists') out.push({ entry: entry.name, outcome: 'exists', message: `${entry.name}: already in the cache` });
      else out.push({ entry: entry.name, outcome: 'failed', message: put.message });
    }
  } finally {
    store.close();
  }
  return out;
}

/** Fetches the entries a run would fetch; what it would refuse or find fresh is left alone. */
export async function cacheFetch(
  root: string,
  model: WorkspaceModel,
  lock: Lock,
  names: readonly string[] | 'all',
  env?: NodeJS.ProcessEnv,
): Promise<CacheTransfer[]> {
  const { store, settings } = openConfiguredCache(root, model, env);
  const out: CacheTransfer[] = [];
  try {
    const cache = { store, complete: await completeEntries(store), read: true };
    // Upstream first, each decided on the disk as the fetches before it left it.
    for (const entry of select(model, names)) {
      const row = await decide(root, model, entry, lock, cache, new Map());
      if (row.action !== 'fetch' || !settings.read) {
        out.push({
          entry: entry.name,
          outcome: 'skipped',
          message: `${entry.name}: ${row.action === 'fetch' ? 'reading is off (SPECTHIS_CACHE_READ=0)' : row.why}`,
        });
        continue;
      }
      const got = await fetchEntry({
        root,
        store,
        entry: entry.name,
        signature: row.signature,
        roots: model.outputRoots.get(entry.name) ?? [],
      });
      if (got.status === 'fetched')
        out.push({
          entry: entry.name,
          outcome: 'fetched',
          message: `${entry.name}: fetched ${got.files} file${got.files === 1 ? '' : 's'}, verified`,
        });
      else out.push({ entry: entry.name, outcome: 'failed', message: got.message });
    }
  } finally {
    store.close();
  }
  return out;
}

/** True when the cache holds the entry under the signature it has now. */
export async function cacheHas(root: string, model: WorkspaceModel, lock: Lock, name: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  const [row] = await cacheStatus(root, model, lock, [name], env);
  return row.cached;
}

export async function cacheList(root: string, model: WorkspaceModel, env?: NodeJS.ProcessEnv): Promise<CachedEntry[]> {
  const { store } = openConfiguredCache(root, model, env);
  try {
    return await listEntries(store);
  } finally {
    store.close();
  }
}

export async function cachePrune(root: string, model: WorkspaceModel, days: number, env?: NodeJS.ProcessEnv): Promise<PruneResult> {
  const { store } = openConfiguredCache(root, model, env);
  try {
    return await pruneOlderThan(store, days);
  } finally {
    store.close();
  }
}

function version(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

/** `status` as a terminal table and a count line, the same from the CLI and the executor. */
export function renderCacheStatus(rows: readonly CacheStatusRow[]): string[] {
  const count = (a: CacheAction) => rows.filter((r) => r.action === a).length;
  return [
    ...table(
      ['ENTRY', 'REALIZATION', 'SIGNATURE', 'CACHED', 'A RUN WOULD', 'WHY'],
      rows.map((r) => [
        r.entry,
        r.realization,
        r.signature.slice(0, 12),
        r.cached ? 'yes' : 'no',
        r.action,
        r.source ? `${r.why} (from ${r.source.cache}, pushed by ${r.source.archivedBy})` : r.why,
      ]),
    ),
    '',
    `${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}: ${count('fetch')} to fetch, ${count('run')} to run, ${count('skip')} fresh, ${count('refuse')} refused`,
  ];
}

export function renderCacheList(entries: readonly CachedEntry[]): string[] {
  if (!entries.length) return ['the cache holds no entry'];
  return table(
    ['ENTRY', 'SIGNATURE', 'BYTES', 'PUSHED'],
    entries.map((e) => [
      e.entry,
      e.signature.slice(0, 12),
      e.archiveBytes === undefined ? '—' : String(e.archiveBytes),
      e.complete ? e.lastModified : 'incomplete',
    ]),
  );
}

export function renderTransfer(t: CacheTransfer): string {
  return `${t.outcome.padEnd(8)} ${t.message}`;
}

/** One `specthis cache` operation, as the CLI parses it from arguments and the executor from its options. */
export type CacheRequest =
  | { action: 'status'; entry?: string; json?: boolean }
  | { action: 'push' | 'fetch'; entries: readonly string[] | 'all' }
  | { action: 'has'; entry: string }
  | { action: 'list'; json?: boolean }
  | { action: 'prune'; olderThanDays: number };

export const CACHE_ACTIONS = ['status', 'push', 'fetch', 'has', 'list', 'prune'] as const;

/** What an operation printed, and whether it found something (a failed transfer, an entry the cache lacks): exit 1, never more. */
export interface CacheReport {
  stdout: string[];
  stderr: string[];
  findings: boolean;
}

/**
 * Runs one operation and renders it, the same for `specthis cache` and the
 * `cache` executor. The lock is read only by the operations that need it.
 * Throws CacheCommandError for what the caller turns into its own refusal.
 */
export async function runCacheRequest(
  root: string,
  model: WorkspaceModel,
  readLock: () => Lock,
  request: CacheRequest,
  env?: NodeJS.ProcessEnv,
): Promise<CacheReport> {
  try {
    return await dispatch(root, model, readLock, request, env);
  } catch (error) {
    if (error instanceof CacheStoreError) throw new CacheCommandError(`specthis: ${error.message}`, 'store');
    throw error;
  }
}

async function dispatch(
  root: string,
  model: WorkspaceModel,
  readLock: () => Lock,
  request: CacheRequest,
  env?: NodeJS.ProcessEnv,
): Promise<CacheReport> {
  const report: CacheReport = { stdout: [], stderr: [], findings: false };
  switch (request.action) {
    case 'list': {
      const entries = await cacheList(root, model, env);
      report.stdout.push(...(request.json ? [canonicalJson({ entries }).replace(/\n$/, '')] : renderCacheList(entries)));
      return report;
    }
    case 'prune': {
      const r = await cachePrune(root, model, request.olderThanDays, env);
      report.stdout.push(
        `pruned ${r.deleted.length} entr${r.deleted.length === 1 ? 'y' : 'ies'} pushed more than ${request.olderThanDays} days ago; ${r.kept} kept`,
      );
      return report;
    }
    case 'has': {
      const held = await cacheHas(root, model, readLock(), request.entry, env);
      report.stdout.push(`${request.entry}: ${held ? 'in the cache under its signature' : 'not in the cache under its signature'}`);
      report.findings = !held;
      return report;
    }
    case 'status': {
      const rows = await cacheStatus(root, model, readLock(), request.entry ? [request.entry] : 'all', env);
      report.stdout.push(...(request.json ? [canonicalJson({ entries: rows }).replace(/\n$/, '')] : renderCacheStatus(rows)));
      return report;
    }
    case 'push':
    case 'fetch': {
      const lock = readLock();
      const done =
        request.action === 'push'
          ? await cachePush(root, model, lock, request.entries, env)
          : await cacheFetch(root, model, lock, request.entries, env);
      for (const t of done) (t.outcome === 'failed' ? report.stderr : report.stdout).push(renderTransfer(t));
      report.findings = done.some((t) => t.outcome === 'failed');
      return report;
    }
  }
}
