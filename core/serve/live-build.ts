/** What the server needs of a dashboard build (core/dashboard's DashboardBuild has these and more). */
export interface ServedBuild {
  html: string;
  /** Workspace-relative paths the page may link to as `/files/<path>`. */
  declaredOutputs: string[];
}

/**
 * Renders the dashboard. `changed` holds the workspace paths that changed
 * since the last call (empty for the first); `structural` is true when any of
 * them was added or removed (not just modified), so listings may be stale.
 */
export type Render = (changed: string[], structural: boolean) => ServedBuild | Promise<ServedBuild>;

export interface ServeLog {
  info(line: string): void;
  error(line: string): void;
}

export interface GoodBuild {
  build: ServedBuild;
  declared: ReadonlySet<string>;
  /** 1 for the first successful render, then +1 per successful rebuild. */
  version: number;
}

/**
 * Quiet time after the last change before a rebuild. An editor's save (write,
 * or temp file + rename) reaches chokidar as events a few ms apart, so 40 ms
 * still coalesces it into one rebuild while adding little to the reload.
 */
export const DEFAULT_DEBOUNCE_MS = 40;

/**
 * The last good render and the rebuild loop: changes are debounced into one
 * rebuild (a steady stream of changes still rebuilds at least every
 * `maxWaitMs`), rebuilds never overlap (changes arriving during one are
 * rebuilt right after), a failed rebuild keeps the last good build and is
 * logged, and a successful one tells the listeners (the event stream).
 */
export class LiveBuild {
  current: GoodBuild | undefined;
  /** The last failure, cleared by the next success. */
  lastError: string | undefined;
  private pending = new Set<string>();
  private structural = false;
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private running = false;
  private closed = false;
  private listeners = new Set<(version: number) => void>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly render: Render,
    private readonly log: ServeLog,
    private readonly debounceMs = DEFAULT_DEBOUNCE_MS,
    private readonly maxWaitMs = Math.max(1000, debounceMs * 10),
  ) {}

  /** The first render, before the server listens; a failure is logged and leaves `current` undefined. */
  async start(): Promise<void> {
    await this.rebuild([], true);
    this.afterRebuild();
  }

  /**
   * Renders the unchanged workspace up to `times` more times, publishing
   * nothing, while no change is pending: the first saves after start-up were a
   * third slower than later ones (the rebuild path, all memo hits, was not yet
   * compiled), and an idle server has the time. Stops at the first change.
   */
  async warm(times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.closed || this.busy() || !this.current) return;
      this.running = true;
      try {
        await this.render([], false);
      } catch {
        // The next real rebuild reports what is wrong.
      } finally {
        this.running = false;
      }
      this.afterRebuild();
    }
  }

  /** A workspace path changed (`structural`: added or removed); schedules a rebuild. */
  notify(path: string, structural = false): void {
    if (this.closed) return;
    if (!this.pending.size) this.firstPendingAt = Date.now();
    this.pending.add(path);
    this.structural ||= structural;
    this.schedule();
  }

  onReload(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once no change is pending and no rebuild runs (tests wait on it). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
    this.settle();
  }

  private busy(): boolean {
    return this.running || this.pending.size > 0;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.running) return; // the running rebuild reschedules when it ends
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + this.maxWaitMs - Date.now()));
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    if (this.running || this.closed || !this.pending.size) return;
    const changed = [...this.pending].sort();
    const structural = this.structural;
    this.pending.clear();
    this.structural = false;
    await this.rebuild(changed, structural);
    this.afterRebuild();
  }

  private afterRebuild(): void {
    if (this.pending.size && !this.closed) this.schedule();
    this.settle();
  }

  private async rebuild(changed: string[], structural: boolean): Promise<void> {
    this.running = true;
    const started = Date.now();
    const what = changed.length ? `after ${describe(changed)}` : 'at start';
    try {
      const build = await this.render(changed, structural);
      const version = (this.current?.version ?? 0) + 1;
      this.current = { build, declared: new Set(build.declaredOutputs), version };
      this.lastError = undefined;
      this.log.info(`specthis serve: ${version === 1 ? 'rendered' : 'rebuilt'} ${what} in ${Date.now() - started} ms (build ${version})`);
      for (const listener of this.listeners) listener(version);
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      const keeping = this.current ? `still serving build ${this.current.version}` : 'no build to serve yet';
      this.log.error(`specthis serve: render failed ${what} (${keeping}): ${this.lastError}`);
    } finally {
      this.running = false;
    }
  }

  private settle(): void {
    if (this.busy() && !this.closed) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function describe(changed: string[]): string {
  const shown = changed.slice(0, 3).join(', ');
  return `${changed.length} change${changed.length === 1 ? '' : 's'} (${shown}${changed.length > 3 ? ', …' : ''})`;
}
