export interface SignalWait {
  /** The first of the signals the process received. */
  received: Promise<NodeJS.Signals>;
  /** Stops waiting (removes the listeners) without a signal. */
  cancel(): void;
}

/**
 * Waits for the first of `signals`. While waiting, the listeners replace
 * Node's default of exiting at once, so the caller can close its server and
 * watcher before the process ends.
 */
export function waitForSignal(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalWait {
  let on: (signal: NodeJS.Signals) => void = () => {};
  const cancel = () => {
    for (const s of signals) process.off(s, on);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    on = (signal) => {
      cancel();
      resolve(signal);
    };
    for (const s of signals) process.on(s, on);
  });
  return { received, cancel };
}
