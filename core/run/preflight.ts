import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFile } from '../fs/stat';
import type { Entry, Spec } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import type { RunLogger } from './logger';
import { countErrors, printDiagnostics } from './spec-report';

/**
 * Finds an entry whose spec, and every spec it consumes, is free of errors.
 * Anything else is reported (what is wrong, where, what right looks like) and
 * yields undefined.
 */
export function findEntry(root: string, model: WorkspaceModel, name: string, log: RunLogger): Entry | undefined {
  const entry = model.entries.get(name);
  if (!entry) {
    reportUnknown(root, model, name, log);
    return undefined;
  }
  const blockedUpstream = model.upstream.get(name)?.blockedSpecs ?? [];
  for (const file of blockedUpstream) {
    const spec = model.specs.find((s) => s.file === file)!;
    printDiagnostics(spec, log);
    log.error(`specthis: ${name} consumes the entries of ${file}, which has ${countErrors(spec)}; fix it first`);
  }
  return blockedUpstream.length ? undefined : entry;
}

/** Why a `script ready` entry cannot run because of its script, if it cannot. */
export function scriptProblem(root: string, entry: Entry): string | undefined {
  if (!entry.script || isFile(join(root, entry.script))) return undefined;
  const field = entry.family === 'compute' ? 'Script:' : 'Export script:';
  return `specthis: ${entry.name}'s script ${entry.script} does not exist; ${entry.specFile}:${entry.line} contracts "${field} ${entry.script}": create that file, or correct the path in the spec (and set the entry to "script TBD" until the script is written)`;
}

function reportUnknown(root: string, model: WorkspaceModel, name: string, log: RunLogger): void {
  const home = blockedHome(root, model, name);
  if (home) {
    printDiagnostics(home, log);
    log.error(`specthis: ${name} is declared in ${home.file}, which has ${countErrors(home)}; fix them and run again`);
    return;
  }
  log.error(`specthis: no entry "${name}" in ${model.options.specsDir}/; ${unknownEntryHint(model, name)}`);
}

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
