import { posix } from 'node:path';
import type { CreateNodesResultArray } from '@nx/devkit';
import type { Spec } from '../core/spec/types';
import { analyzeWorkspace } from '../core/workspace/analyze';
import { readSpec } from '../core/workspace/load';
import { inSpecsDir } from '../core/layout';
import type { SpecthisOptions } from '../core/workspace/types';
import { projectNameFor } from '../core/naming';
import { type Edge, isParseCache, isSpec, readJson, writeJsonAtomic } from './spec-cache';
import { inferProjects } from './targets';

/**
 * The cache-miss half of createNodes, loaded only when a spec, the options or the
 * plugin changed (it pulls in the parser and yaml). Specs whose hash is in the
 * parse cache are not read again. `saveParses` writes the parse cache: the
 * caller runs it once the result is on its way to Nx.
 */
export function inferGraph(
  root: string,
  specFiles: string[],
  hashes: string[],
  options: SpecthisOptions,
  parseCachePath: string,
  version: string,
) {
  const cached = readJson(parseCachePath, isParseCache(version))?.specs ?? {};
  const specs: Spec[] = specFiles.map((file, i) => {
    const hit = cached[file];
    return hit && hit.hash === hashes[i] && isSpec(hit.spec) ? hit.spec : readSpec(root, file, options.specsDir);
  });
  const saveParses = () =>
    writeJsonAtomic(parseCachePath, {
      version,
      specs: Object.fromEntries(specFiles.map((f, i) => [f, { hash: hashes[i], spec: specs[i] }])),
    });
  return { nodes: toNodes(specs, options), edges: toEdges(specs, options), saveParses };
}

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
            description: p.specs.length
              ? `Research specs in ${p.root}: ${p.specs.map((s) => s.stem).join(', ')}`
              : `Workspace-wide specthis targets for the specs under ${p.root}/`,
            technologies: ['specthis'],
            targetGroups: p.targetGroups,
          },
        },
      },
    },
  ]);
}

/**
 * Project-level edges: a spec's project depends on the project of every spec in
 * its `depends_on` that exists, with the spec as the source file. Sorted, so the
 * cached and the fresh edges are the same bytes.
 */
export function toEdges(specs: Spec[], options: SpecthisOptions): Edge[] {
  const known = new Set(specs.map((s) => s.specPath));
  const edges: Edge[] = [];
  for (const spec of specs) {
    const source = projectNameFor(posix.dirname(spec.file));
    for (const dep of spec.dependsOn) {
      if (!known.has(dep)) continue;
      const target = projectNameFor(posix.dirname(inSpecsDir(options.specsDir, dep)));
      if (target !== source) edges.push([source, target, spec.file]);
    }
  }
  return edges.sort((a, b) => `${a[0]} ${a[1]} ${a[2]}`.localeCompare(`${b[0]} ${b[1]} ${b[2]}`));
}
