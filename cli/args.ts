import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './exit';

type Options = NonNullable<ParseArgsConfig['options']>;
export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * `parseArgs`, strict, with its errors turned into usage errors that point at
 * the command's help. `maxPositionals` bounds the arguments after the options.
 */
export function parseCommand<O extends Options>(command: string, args: string[], options: O, maxPositionals: number): ParsedCommand<O> {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true as const, strict: true as const });
  } catch (error) {
    throw usageError(
      `specthis ${command}: ${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; see \`specthis ${command} --help\``,
    );
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(' ');
    throw usageError(`specthis ${command}: unexpected argument ${JSON.stringify(extra)}; see \`specthis ${command} --help\``);
  }
  return parsed;
}

export const SPECS_DIR_OPTION = { 'specs-dir': { type: 'string' } } as const;
