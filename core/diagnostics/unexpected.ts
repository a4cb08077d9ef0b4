/**
 * A failure nobody planned for, said in one line at the edge of an executor or
 * a command: what failed, the error's own message (which names the path or
 * the call, e.g. `ENAMETOOLONG: name too long, open '…'`), and how to see
 * more. The stack only when asked for: a bug report needs it, a researcher
 * reading `nx run` output does not.
 */
export function describeUnexpected(what: string, error: unknown, options: { verbose?: boolean; more: string }): string {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const line = `specthis: ${what} failed unexpectedly: ${message}`;
  if (options.verbose && error instanceof Error && error.stack) return `${line}\n${error.stack}`;
  return `${line} (${options.more} shows the stack)`;
}

/** What Nx itself reads to print more: `NX_VERBOSE_LOGGING=true`, or `--verbose` on the nx command line. */
export function nxVerbose(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NX_VERBOSE_LOGGING === 'true';
}
