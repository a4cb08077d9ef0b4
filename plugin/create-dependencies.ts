import { posix } from 'node:path';
import type { CreateDependencies, RawProjectGraphDependency } from '@nx/devkit';
import { DependencyType } from 'nx/src/config/project-graph';
import { normalizeOptions } from '../core/workspace/options';
import type { SpecthisOptions } from '../core/workspace/types';
import { recallSpecs } from './spec-cache';
import { projectNameFor } from './project-name';

/**
 * Project-level edges for `nx graph` and `nx affected`: a spec's project depends
 * on the project of every spec in its `depends_on`, with the spec as the source file.
 */
export const createDependencies: CreateDependencies<Partial<SpecthisOptions>> = (rawOptions, context) => {
  const options = normalizeOptions(rawOptions);
  const deps: (RawProjectGraphDependency & { sourceFile: string })[] = [];
  const prefix = options.specsDir === '.' ? '' : `${options.specsDir}/`;
  const specs = recallSpecs(context.workspaceRoot, options);
  const known = new Set(specs.map((s) => s.specPath));
  for (const spec of specs) {
    const source = projectNameFor(posix.dirname(spec.file));
    if (!context.projects[source]) continue;
    for (const dep of spec.dependsOn) {
      if (!known.has(dep)) continue;
      const target = projectNameFor(posix.dirname(`${prefix}${dep}`));
      if (target === source || !context.projects[target]) continue;
      deps.push({ source, target, sourceFile: spec.file, type: DependencyType.static });
    }
  }
  return deps.sort((a, b) => `${a.source} ${a.target} ${a.sourceFile}`.localeCompare(`${b.source} ${b.target} ${b.sourceFile}`));
};
