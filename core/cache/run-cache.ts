import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { writeFileAtomic } from '../fs/atomic';
import { LOCAL_CACHE_DIR } from '../layout';
import { packageVersion } from '../package';
import type { Receipt } from '../receipts/receipt';
import { cacheSettings, type CacheSettings } from '../workspace/cache-settings';
import type { SpecthisOptions } from '../workspace/types';
import type { StoreErrorCategory } from './errors';
import { fetchEntry } from './fetch';
import { openStore } from './open';
import { pushEntry } from './push';
import type { CacheStore } from './store';

/** Where the run says what it does; the run's logger fits. */
export interface CacheLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Failures of the store as a whole, not of one entry: the bucket is missing,
 * access is denied, the endpoint is down or hangs. Said once per run (the
 * outermost nx process), and the cache is skipped for the rest of that run,
 * so 5,000 tasks do not each wait for the same dead endpoint.
 */
const STORE_WIDE = new Set<StoreErrorCategory>(['unreachable', 'timeout', 'denied', 'credentials', 'no-bucket', 'config', 'server', 'io']);
/**
 * What a store-wide failure turns off for the rest of the run. A push that is
 * denied turns off only pushes: credentials may read and not write (the laptops
 * of "CI writes, laptops read"), and the run's later entries may still be fetched.
 */
type Skips = 'all' | 'writes';
/** `.specthis/cache/unavailable.json`: which run found which cache unavailable, and why. */
export const UNAVAILABLE_FILE = `${LOCAL_CACHE_DIR}/unavailable.json`;

/** The run a task belongs to: the outermost nx process (Nx passes its ancestors' pids), else this process. */
export function runId(env: NodeJS.ProcessEnv = process.env): string {
  const outermost = (env.NX_INVOCATION_ANCESTOR_PIDS ?? '').split(',').find((p) => /^\d+$/.test(p));
  return outermost ?? String(process.pid);
}

/**
 * The results cache as one run uses it (docs/architecture.md, "Results
 * cache"): fetch before running, push after a receipt. Never throws and never
 * fails an entry: a cache that misbehaves is a warning and the entry runs
 * locally.
 */
export class RunCache {
  private unavailable = false;
  private pushesOff = false;

  private constructor(
    readonly settings: CacheSettings,
    private readonly store: CacheStore,
    private readonly root: string,
    private readonly log: CacheLog,
    private readonly run: string,
  ) {}

  /** The cache of this workspace and run, or undefined when none is configured, both switches are off, or it failed earlier in this run. */
  static open(root: string, options: SpecthisOptions, log: CacheLog, env: NodeJS.ProcessEnv = process.env): RunCache | undefined {
    const { settings, problems } = cacheSettings(options.cache, root, env);
    for (const p of problems)
      log.warn(`${formatDiagnostic(p, { specsDir: options.specsDir })}\n  note: the results cache is not used; the entry runs here`);
    if (!settings || (!settings.read && !settings.write)) return undefined;
    const run = runId(env);
    const marked = readUnavailable(root);
    // Said by an earlier task of this run already: skipped without a word (only its pushes, after a denied push).
    const said = marked?.url === settings.location.url && marked.run === run;
    if (said && (marked.skips !== 'writes' || !settings.read)) return undefined;
    const store = openStore(settings.location, {
      s3: { ...(settings.region ? { region: settings.region } : {}), ...(settings.endpoint ? { endpoint: settings.endpoint } : {}), env },
    });
    return new RunCache(said ? { ...settings, write: false } : settings, store, root, log, run);
  }

  get url(): string {
    return this.settings.location.url;
  }

  /** True when the entry's outputs and receipt came from the cache; false for a miss of any kind. */
  async fetch(entry: string, signature: string, roots: readonly string[]): Promise<boolean> {
    if (!this.settings.read || this.unavailable) return false;
    const got = await fetchEntry({ root: this.root, store: this.store, entry, signature, roots });
    if (got.status === 'fetched') {
      const from = got.receipt.source ? ` (pushed by ${got.receipt.source.archivedBy} at ${got.receipt.source.archivedAt})` : '';
      this.log.info(
        `specthis: ${entry} fetched from ${this.url}${from}: ${got.files} file${got.files === 1 ? '' : 's'}, verified; nothing ran`,
      );
      return true;
    }
    if (got.category === 'absent') this.log.info(`specthis: ${entry} is not in ${this.url} under this signature; running it`);
    else this.problem(got.category, got.message, 'all');
    return false;
  }

  /** Pushes a receipted entry; a refusal is a warning, never a failure. */
  async push(entry: string, receipt: Receipt, roots: readonly string[]): Promise<void> {
    if (!this.settings.write || this.unavailable || this.pushesOff) return;
    const put = await pushEntry({
      root: this.root,
      store: this.store,
      entry,
      signature: receipt.signature,
      receipt,
      roots,
      toolVersion: version(),
    });
    if (put.status === 'pushed')
      this.log.info(`specthis: ${entry} pushed to ${this.url}: ${put.files} file${put.files === 1 ? '' : 's'}, ${put.archiveBytes} bytes`);
    else if (put.status === 'exists') this.log.info(`specthis: ${entry} is in ${this.url} already`);
    else this.problem(put.category, put.message, put.category === 'denied' ? 'writes' : 'all');
  }

  close(): void {
    try {
      this.store.close();
    } catch {
      // nothing to release
    }
  }

  private problem(category: string, message: string, skips: Skips): void {
    if (STORE_WIDE.has(category as StoreErrorCategory)) {
      if (skips === 'writes') {
        this.pushesOff = true;
        writeUnavailable(this.root, { url: this.url, run: this.run, category, message, skips });
        this.log.warn(`${message}; pushes to the results cache are skipped for the rest of this run, and fetches from it go on`);
        return;
      }
      this.unavailable = true;
      writeUnavailable(this.root, { url: this.url, run: this.run, category, message, skips });
      this.log.warn(`${message}; the results cache is skipped for the rest of this run, and entries run here`);
    } else {
      this.log.warn(`${message}; the entry runs here`);
    }
  }
}

function version(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

interface Unavailable {
  url: string;
  run: string;
  category: string;
  message: string;
  /** Absent in markers written before pushes could be skipped alone: everything. */
  skips?: Skips;
}

function readUnavailable(root: string): Unavailable | undefined {
  try {
    const v = JSON.parse(readFileSync(join(root, UNAVAILABLE_FILE), 'utf8')) as Partial<Unavailable>;
    return typeof v.url === 'string' && typeof v.run === 'string' ? (v as Unavailable) : undefined;
  } catch {
    return undefined;
  }
}

function writeUnavailable(root: string, u: Unavailable): void {
  try {
    writeFileAtomic(join(root, UNAVAILABLE_FILE), `${JSON.stringify(u)}\n`);
  } catch {
    // Only the next task's warning is lost.
  }
}
