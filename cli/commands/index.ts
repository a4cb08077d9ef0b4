import type { Command } from '../command';
import { auditCommand } from './audit';
import { cacheCommand } from './cache';
import { cacheServerCommand } from './cache-server';
import { dashboardCommand } from './dashboard';
import { initCommand } from './init';
import { installCommand } from './install';
import { lockCommand } from './lock';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { statusCommand } from './status';

/** Every `specthis` command, in the order `specthis --help` lists them. */
export const COMMANDS: readonly Command[] = [
  statusCommand,
  runCommand,
  auditCommand,
  dashboardCommand,
  serveCommand,
  lockCommand,
  cacheCommand,
  cacheServerCommand,
  initCommand,
  installCommand,
];

export const COMMAND_NAMES = COMMANDS.map((c) => c.name);

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
