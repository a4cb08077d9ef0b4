/** Signals that mean "stop": Ctrl-C, `kill`, a closed terminal. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface SignalAbort {
  /** Aborted with the received signal's name as its reason. */
  signal: AbortSignal;
  /** Restores the process's previous signal handling. */
  dispose(): void;
}

/**
 * Turns the stop signals this process receives into an abort, so a run can
 * stop its command and return normally (and write no receipt) instead of the
 * process dying with the command still running. Handlers replace Node's
 * default exit only until `dispose`.
 */
export function abortOnSignals(signals: readonly NodeJS.Signals[] = STOP_SIGNALS): SignalAbort {
  const controller = new AbortController();
  const handlers = signals.map((sig) => {
    const handler = () => controller.abort(sig);
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [sig, handler] of handlers) process.off(sig, handler);
    },
  };
}
