import { join } from 'node:path';
import { countErrors, diagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic';
import { isFile } from '../fs/stat';
import type { Entry, Spec } from '../spec/types';
import { blockedHome, unknownEntryHint } from '../workspace/lookup';
import type { WorkspaceModel } from '../workspace/types';
import type { RunLogger } from './logger';

/** Logs diagnostics as the run does: errors as errors, warnings as warnings, each in the one terminal form. */
export function logDiagnostics(diagnostics: readonly Diagnostic[], log: RunLogger, specsDir: string): void {
  for (const d of diagnostics) (d.severity === 'error' ? log.error : log.warn).call(log, formatDiagnostic(d, { specsDir }));
}

/**
 * Finds an entry whose spec, and every spec it consumes, is free of errors.
 * Anything else is reported (what is wrong, where, what right looks like) and
 * yields undefined.
 */
export function findEntry(root: string, model: WorkspaceModel, name: string, log: RunLogger): Entry | undefined {
  const { specsDir } = model.options;
  const entry = model.entries.get(name);
  if (!entry) {
    const home = blockedHome(root, model, name);
    if (home) {
      logDiagnostics(home.diagnostics, log, specsDir);
      logDiagnostics([blockedSpec(home, `${name} is declared in ${home.file}, which has ${countErrors(home.diagnostics)}`)], log, specsDir);
    } else {
      logDiagnostics([unknownEntry(model, name)], log, specsDir);
    }
    return undefined;
  }
  const blockedUpstream = model.upstream.get(name)?.blockedSpecs ?? [];
  for (const file of blockedUpstream) {
    const spec = model.specs.find((s) => s.file === file)!;
    logDiagnostics(spec.diagnostics, log, specsDir);
    logDiagnostics(
      [blockedSpec(spec, `${name} consumes the entries of ${file}, which has ${countErrors(spec.diagnostics)}`, entry)],
      log,
      specsDir,
    );
  }
  return blockedUpstream.length ? undefined : entry;
}

function blockedSpec(spec: Spec, reason: string, entry?: Entry): Diagnostic {
  return diagnostic('run', spec.file, {
    rule: 'run-blocked-spec',
    reason,
    expected: 'a spec without errors (each is listed above)',
    note: `fix them and run again; \`npx specthis status\` lists every spec with errors`,
    spec: spec.file,
    ...(entry ? { entry: entry.name } : {}),
  });
}

function unknownEntry(model: WorkspaceModel, name: string): Diagnostic {
  return diagnostic('run', model.options.specsDir, {
    rule: 'run-unknown-entry',
    reason: `no entry "${name}" in ${model.options.specsDir}/`,
    expected: unknownEntryHint(model, name),
    received: name,
  });
}

/** True when a `script ready` entry's script is missing: it cannot run. */
export function lacksScript(root: string, entry: Entry): boolean {
  return !!entry.script && !isFile(join(root, entry.script));
}

export { pathsOutside } from '../workspace/entry-paths';
