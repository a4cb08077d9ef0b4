/**
 * Exit codes, the same for every command, so scripts and agents can branch on
 * them without parsing text.
 */
export const EXIT = {
  /** Done; nothing to report beyond the output. */
  ok: 0,
  /** Done, and it found problems: audit violations, specs with errors, entries that cannot run, a refused certification. */
  findings: 1,
  /** The command line is wrong: unknown command or option, missing or extra argument, unknown entry or agent name. */
  usage: 2,
  /** The workspace cannot be read as asked: nx.json or the lock file does not parse, a file cannot be read or written. */
  workspace: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  findings: audit violations, specs with errors, entries that cannot run, a refused certification
  2  usage error: unknown command or option, missing or extra argument, unknown entry or agent
  3  workspace error: nx.json or the lock file does not parse, a file cannot be read or written`;

/** A failure the user can act on; its message is printed as is, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const workspaceError = (message: string) => new CliError(message, EXIT.workspace);
