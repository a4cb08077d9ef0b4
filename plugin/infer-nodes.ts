import type { CreateNodesResultArray } from '@nx/devkit';
import type { Spec } from '../core/spec/types';
import { analyzeWorkspace } from '../core/workspace/analyze';
import { readSpec } from '../core/workspace/load';
import type { SpecthisOptions } from '../core/workspace/types';
import { inferProjects } from './targets';

/** The cache-miss half of createNodes, loaded only when a spec changed (it pulls in the parser and yaml). */
export { readSpec };

export function toNodes(specs: Spec[], options: SpecthisOptions): CreateNodesResultArray {
  const model = analyzeWorkspace(specs, options);
  return inferProjects(model).map((p) => [
    p.source,
    {
      projects: {
        [p.root]: {
          name: p.name,
          targets: p.targets,
          metadata: {
            description: p.specs.length ? `Research specs in ${p.root}: ${p.specs.map((s) => s.stem).join(', ')}` : `Workspace-wide specthis targets for the specs under ${p.root}/`,
            technologies: ['specthis'],
            targetGroups: p.targetGroups,
          },
        },
      },
    },
  ]);
}
