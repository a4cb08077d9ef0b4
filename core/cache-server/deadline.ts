/** A store call that did not settle in time: the request is answered without it. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`no answer from the store within ${formatMs(ms)}`);
  }
}

/**
 * `work`, or a DeadlineExceeded after `ms`. The work itself runs on (a store
 * call cannot be cancelled through core/cache/store.ts): `work` is given an
 * `abandoned()` test so it can stop before a step that must not happen late
 * (writing a record after the client was told "not stored"), and `settled`
 * resolves when it has really finished, for cleaning up what it was writing.
 */
export function withDeadline<T>(
  ms: number,
  work: (abandoned: () => boolean) => Promise<T>,
): { result: Promise<T>; settled: Promise<void> } {
  let late = false;
  const running = work(() => late);
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  let timer: NodeJS.Timeout | undefined;
  const result = Promise.race([
    running,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(new DeadlineExceeded(ms));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
  return { result, settled };
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
