/**
 * What can go wrong with a cache store, as a category the caller can act on
 * (docs/architecture.md, "Results cache": a failed cache never fails a run that can run locally, so
 * every one of these becomes a miss or a skipped push plus a one-line warning).
 *
 * - `unreachable`: refused, reset or unresolvable connection.
 * - `timeout`: no connection or no answer within the store's timeouts, after its retries.
 * - `denied`: the store refused the credentials or the operation (HTTP 401/403, EACCES).
 * - `credentials`: no credentials were found in the standard AWS chain.
 * - `no-bucket`: the bucket (S3) or the cache folder (directory store) does not exist.
 * - `server`: the store answered with an error (HTTP 5xx, throttling) after its retries.
 * - `corrupt`: an answer that cannot be right (a truncated body, a size that disagrees).
 * - `too-large`: an object larger than the caller allowed.
 * - `io`: a local file-system error (disk full, read-only mount, …).
 * - `config`: the store is misconfigured (no region, a bucket in another region, a bad key).
 */
export type StoreErrorCategory =
  'unreachable' | 'timeout' | 'denied' | 'credentials' | 'no-bucket' | 'server' | 'corrupt' | 'too-large' | 'io' | 'config';

/**
 * The one error class a store throws. `message` is a single line naming the
 * store's URL, what failed and what to do; `detail` is the same without the URL,
 * for callers that name the store themselves.
 */
export class CacheStoreError extends Error {
  override readonly name = 'CacheStoreError';
  readonly detail: string;
  constructor(
    readonly category: StoreErrorCategory,
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(oneLine(`cache ${url}: ${message}`), options);
    this.detail = oneLine(message);
  }
}

/** Collapses whitespace runs (SDK messages span lines) so a message stays one log line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The `code` of a Node system error (ENOENT, ECONNREFUSED, …), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}
