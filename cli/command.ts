import type { CliIo } from './io';

/** One `specthis <name>` command. `help` is printed for `specthis <name> --help`. */
export interface Command {
  name: string;
  /** One line for `specthis --help`. */
  summary: string;
  help: string;
  run(args: string[], io: CliIo): number | Promise<number>;
}

/** Writes lines, each ending in a newline. */
export function lines(write: (text: string) => void): (...text: string[]) => void {
  return (...text) => write(text.map((t) => `${t}\n`).join(''));
}

/** `created  specs/README.md`: one line per file a scaffolding command touched, actions aligned. */
export function fileLine(action: string, path: string, note?: string): string {
  return `${action.padEnd(11)} ${path}${note ? ` (${note})` : ''}`;
}
