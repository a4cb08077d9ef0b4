import type { CreateNodesResultArray } from '@nx/devkit';
import type { Spec } from '../core/spec/types';
import { analyzeWorkspace } from '../core/workspace/analyze';
import { readSpec } from '../core/workspace/load';
import type { SpecthisOptions } from '../core/workspace/types';
import { isParseCache, isSpec, readJson, writeJsonAtomic } from './spec-cache';
import { projectEdges } from './project-edges';
import { hashSpecFiles } from './spec-hashes';
import { inferProjects } from './targets';

/**
 * The cache-miss half of createNodes, loaded only when a spec, the options or the
 * plugin changed (it pulls in the parser and yaml). Specs whose hash is in the
 * parse cache are not read again. `saveParses` writes the parse cache: the
 * caller runs it once the result is on its way to Nx, and caches the graph only
 * when `settled` (no spec changed while it was read).
 */
export function inferGraph(
  root: string,
  specFiles: string[],
  hashes: string[],
  options: SpecthisOptions,
  renamable: ReadonlySet<string>,
  parseCachePath: string,
  version: string,
) {
  const cached = readJson(parseCachePath, isParseCache(version))?.specs ?? {};
  const read: number[] = [];
  const specs: Spec[] = specFiles.map((file, i) => {
    const hit = cached[file];
    if (hit && hit.hash === hashes[i] && isSpec(hit.spec)) return hit.spec;
    read.push(i);
    return readSpec(root, file, options.specsDir);
  });
  // A spec edited between its hash and its read was parsed as it is now, not as hashed: such a parse is
  // never cached under the old hash, and the graph built from it is not cached either (`settled`).
  const after = hashSpecFiles(
    root,
    read.map((i) => specFiles[i]),
  );
  const moved = new Set(read.filter((i, j) => after[j] !== hashes[i]));
  const saveParses = () =>
    writeJsonAtomic(parseCachePath, {
      version,
      specs: Object.fromEntries(specFiles.flatMap((f, i) => (moved.has(i) ? [] : [[f, { hash: hashes[i], spec: specs[i] }]]))),
    });
  return { nodes: toNodes(specs, options, renamable), saveParses, settled: moved.size === 0 };
}

export function toNodes(specs: Spec[], options: SpecthisOptions, renamable: ReadonlySet<string>): CreateNodesResultArray {
  const model = analyzeWorkspace(specs, options);
  const edges = projectEdges(specs, options, renamable);
  return inferProjects(model).map((p) => {
    const upstream = edges.get(p.root);
    return [
      p.source,
      {
        projects: {
          [p.root]: {
            name: p.name,
            targets: p.targets,
            ...(upstream && { implicitDependencies: upstream }),
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
    ];
  });
}
