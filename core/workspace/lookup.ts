import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../spec/types';
import type { WorkspaceModel } from './types';

/**
 * Finding an entry by name when the model does not hold it: which broken spec
 * declares it, or which names are close. Shared by the run, certification and
 * the CLI, so an unknown entry is answered the same everywhere.
 */

/** The spec with errors that declares `name`, when an entry is missing from the model because its spec is blocked. */
export function blockedHome(root: string, model: WorkspaceModel, name: string): Spec | undefined {
  const blocked = model.specs.filter((s) => model.blocked.has(s.file));
  return blocked.find((s) => s.entries.some((e) => e.name === name)) ?? blocked.find((s) => declaresHeading(root, s.file, name));
}

/** What an entry is, and close names when there are any. */
export function unknownEntryHint(model: WorkspaceModel, name: string): string {
  const known = [...model.entries.keys()].sort();
  const near = known.filter((k) => k.includes(name) || name.includes(k)).slice(0, 5);
  const hint = near.length
    ? `; did you mean ${near.join(', ')}?`
    : known.length
      ? ` (${known.length} entries are declared, e.g. ${known.slice(0, 3).join(', ')})`
      : '';
  return `an entry is a "### <name>" block under "## Entry" or "## Entries" of a compute, report or figure spec${hint}`;
}

/** A spec that failed before its entries were read (bad front matter, unknown kind) may still hold the heading. */
function declaresHeading(root: string, file: string, name: string): boolean {
  try {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^ {0,3}### +\`?${escaped}\`?[ \t]*#*[ \t]*\r?$`, 'm').test(readFileSync(join(root, file), 'utf8'));
  } catch {
    return false;
  }
}
