import { formatDiagnostic, hasErrors } from '../diagnostics/diagnostic';
import type { Spec } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import type { RunLogger } from './logger';

/** Prints a spec's diagnostics; true when it has no errors. Serves the target Nx gives a spec that does not parse. */
export function reportSpec(model: WorkspaceModel, file: string, log: RunLogger): boolean {
  const spec = model.specs.find((s) => s.file === file);
  if (!spec) {
    log.error(
      `specthis: ${file} is not a spec of this workspace; specs are the .md files under ${model.options.specsDir}/ (not README.md, AGENTS.md or _generated files)`,
    );
    return false;
  }
  printDiagnostics(spec, log);
  if (hasErrors(spec.diagnostics)) {
    log.error(`specthis: ${file} has ${countErrors(spec)}; its entries do not run until they are fixed`);
    return false;
  }
  log.info(`specthis: ${file} has no errors`);
  return true;
}

export function printDiagnostics(spec: Spec, log: RunLogger): void {
  for (const d of spec.diagnostics) (d.severity === 'error' ? log.error : log.warn).call(log, formatDiagnostic(d));
}

export function countErrors(spec: Spec): string {
  const n = spec.diagnostics.filter((d) => d.severity === 'error').length;
  return `${n} error${n === 1 ? '' : 's'}`;
}
