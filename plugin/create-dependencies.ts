import type { CreateDependencies, RawProjectGraphDependency } from '@nx/devkit';
import { DependencyType } from 'nx/src/config/project-graph';
import { normalizeOptions } from '../core/workspace/options';
import type { SpecthisOptions } from '../core/workspace/types';
import { recallEdges, type Edge } from './spec-cache';

/**
 * Project-level edges for `nx graph` and `nx affected`: a spec's project depends
 * on the project of every spec in its `depends_on`, with the spec as the source
 * file. createNodes worked them out (or read them from its cache); this keeps
 * those whose projects exist.
 */
export const createDependencies: CreateDependencies<Partial<SpecthisOptions>> = (rawOptions, context) => {
  const options = normalizeOptions(rawOptions);
  const deps: (RawProjectGraphDependency & { sourceFile: string })[] = [];
  for (const [source, target, sourceFile] of recallEdges(context.workspaceRoot, options) ?? edgesFromDisk(context.workspaceRoot, options)) {
    if (context.projects[source] && context.projects[target]) deps.push({ source, target, sourceFile, type: DependencyType.static });
  }
  return deps;
};

/** When createNodes did not run in this worker: the specs parsed from disk (the parser is loaded only then). */
function edgesFromDisk(root: string, options: SpecthisOptions): Edge[] {
  const { listSpecFiles, readSpec } = require('../core/workspace/load') as typeof import('../core/workspace/load');
  const { toEdges } = require('./infer-nodes') as typeof import('./infer-nodes');
  return toEdges(
    listSpecFiles(root, options.specsDir).map((f) => readSpec(root, f, options.specsDir)),
    options,
  );
}
