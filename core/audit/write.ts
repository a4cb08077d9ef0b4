import { INDEX_FILE, ROUTING_FILE } from '../layout';
import { join } from 'node:path';
import { canonicalJson } from '../fs/canonical-json';
import { writeFileAtomic } from '../fs/atomic';
import { inSpecsDir } from '../layout';
import type { WorkspaceModel } from '../workspace/types';
import type { AuditRun } from './audit';
import { fileChecker } from './files';
import { buildIndex } from './index-json';
import { buildRouting } from './routing-json';

export { INDEX_FILE, ROUTING_FILE };

/** The two generated files of a whole-workspace audit, as the bytes that would be written, by workspace-relative path. */
export function generatedFiles(root: string, model: WorkspaceModel, run: AuditRun): Record<string, string> {
  const { specsDir } = model.options;
  return {
    [inSpecsDir(specsDir, INDEX_FILE)]: canonicalJson(buildIndex(model, run)),
    [inSpecsDir(specsDir, ROUTING_FILE)]: canonicalJson(buildRouting(model.specs, run, fileChecker(root))),
  };
}

/** Writes `<specsDir>/_index.json` and `<specsDir>/_routing.json` atomically; returns the paths written. */
export function writeGeneratedFiles(root: string, model: WorkspaceModel, run: AuditRun): string[] {
  const files = generatedFiles(root, model, run);
  for (const [path, text] of Object.entries(files)) writeFileAtomic(join(root, path), text);
  return Object.keys(files).sort();
}
