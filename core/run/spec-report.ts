import { countErrors, hasErrors } from '../diagnostics/diagnostic';
import type { WorkspaceModel } from '../workspace/types';
import type { RunLogger } from './logger';
import { logDiagnostics } from './preflight';

/** Prints a spec's diagnostics; true when it has no errors. Serves the target Nx gives a spec that does not parse. */
export function reportSpec(model: WorkspaceModel, file: string, log: RunLogger): boolean {
  const spec = model.specs.find((s) => s.file === file);
  if (!spec) {
    log.error(
      `specthis: ${file} is not a spec of this workspace; specs are the .md files under ${model.options.specsDir}/ (not README.md, AGENTS.md or _generated files)`,
    );
    return false;
  }
  logDiagnostics(spec.diagnostics, log, model.options.specsDir);
  if (hasErrors(spec.diagnostics)) {
    log.error(`specthis: ${file} has ${countErrors(spec.diagnostics)}; its entries do not run until they are fixed`);
    return false;
  }
  log.info(`specthis: ${file} has no errors`);
  return true;
}
