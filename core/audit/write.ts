import { join } from 'node:path';
import { canonicalJson } from '../receipts/canonical-json';
import { writeFileAtomic } from '../receipts/atomic';
import { inSpecsDir } from '../workspace/options';
import type { WorkspaceModel } from '../workspace/types';
import type { AuditRun } from './audit';
import { fileChecker } from './files';
import { buildIndex } from './index-json';
import { buildRouting } from './routing-json';

export const INDEX_FILE = '_index.json';
export const ROUTING_FILE = '_routing.json';

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
