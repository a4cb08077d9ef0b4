/**
 * Page records (entries, specs) kept from one live rebuild to the next, for
 * the live server only. A record is replaced by last build's object when what
 * it was built from is the same, so the JsonMemo (escape.ts), which keeps the
 * escaped JSON of each record object it wrote, need not serialize it again:
 * the 5,000 entry and 1,000 spec records were a third of a rebuild.
 *
 * What a record was built from is listed by the caller as `deps`, compared
 * with `===`: an array or object that is not the same object counts as
 * changed, so a list that is too fine only costs a miss, never a stale record.
 * Records are never mutated once built (page-data.ts fills a spec record's
 * dependents before it asks), so a kept object still holds what it held.
 */
export class PageMemo {
  private previous = new Map<string, { deps: readonly unknown[]; record: object }>();
  private current = new Map<string, { deps: readonly unknown[]; record: object }>();

  /** `fresh`, or the object last build kept under `id` with equal `deps`. */
  keep<T extends object>(id: string, deps: readonly unknown[], fresh: T): T {
    return this.reuse(id, deps, () => fresh);
  }

  /** The object last build kept under `id` with equal `deps`, else `build()`: a kept record is not even built. */
  reuse<T extends object>(id: string, deps: readonly unknown[], build: () => T): T {
    const kept = this.previous.get(id);
    const same = kept !== undefined && kept.deps.length === deps.length && kept.deps.every((d, i) => d === deps[i]);
    const record = same ? (kept.record as T) : build();
    this.current.set(id, { deps, record });
    return record;
  }

  /** After a build: keep what it used, forget the rest. */
  rotate(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
