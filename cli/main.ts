#!/usr/bin/env node
import { describeUnexpected, nxVerbose } from '../core/diagnostics/unexpected';
import { LockFileError } from '../core/lock/errors';
import { packageVersion } from '../core/package';
import { COMMANDS, COMMAND_NAMES, findCommand } from './commands';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit';
import { processIo, type CliIo } from './io';

const HELP = `Usage: specthis <command> [options]

Spec-driven research pipelines, outside Nx: the same engine as the
@specthis/nx plugin, for scripts, CI and coding agents.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(Math.max(...COMMANDS.map((d) => d.name.length)))} ${c.summary}`).join('\n')}

Run \`specthis <command> --help\` for a command's options. Every command
finds the workspace as Nx does (the nearest directory above with nx.json,
else the current one) and reads the plugin options from nx.json.

Options:
  -h, --help     this help
  -v, --version  the package version
  --verbose      with any command: print the stack of an unexpected failure

${EXIT_CODES_HELP}`;

/** Runs one command line; returns the exit code instead of exiting, so tests run it in-process. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // Anywhere on the line, for every command: what an unexpected failure prints.
  const verbose = argv.includes('--verbose') || nxVerbose();
  const [first, ...rest] = argv.filter((a) => a !== '--verbose');
  if (first === '-h' || first === '--help' || first === 'help') return help(io, rest[0]);
  if (first === '-v' || first === '--version') return (void io.stdout(`${packageVersion()}\n`), EXIT.ok);
  if (first === undefined) return (void io.stderr(`${HELP}\n`), EXIT.usage);
  const command = findCommand(first);
  if (!command) {
    io.stderr(`specthis: unknown command ${JSON.stringify(first)}; the commands are ${COMMAND_NAMES.join(', ')} (\`specthis --help\`)\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) return (void io.stdout(`${command.help}\n`), EXIT.ok);
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) return (void io.stderr(`${error.message}\n`), error.exitCode);
    if (error instanceof LockFileError) return (void io.stderr(`specthis ${first}: ${error.message}\n`), EXIT.workspace);
    // Unexpected: one line; the stack, which a bug report needs, with --verbose.
    io.stderr(`${describeUnexpected(`specthis ${first}`, error, { verbose, more: `specthis ${first} --verbose` })}\n`);
    return EXIT.workspace;
  }
}

function help(io: CliIo, topic: string | undefined): number {
  if (topic === undefined) return (void io.stdout(`${HELP}\n`), EXIT.ok);
  const command = findCommand(topic);
  if (!command)
    return (
      void io.stderr(`specthis help: unknown command ${JSON.stringify(topic)}; the commands are ${COMMAND_NAMES.join(', ')}\n`),
      EXIT.usage
    );
  io.stdout(`${command.help}\n`);
  return EXIT.ok;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
