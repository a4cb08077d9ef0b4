import { posix } from 'node:path';
import type { CreateNodesResultArray } from '@nx/devkit';
import type { Spec } from '../core/spec/types';
import { analyzeWorkspace } from '../core/workspace/analyze';
import { readSpec } from '../core/workspace/load';
import { inSpecsDir } from '../core/layout';
import type { SpecthisOptions } from '../core/workspace/types';
import { projectNameFor } from '../core/naming';
import { type Edge, isParseCache, isSpec, readJson, writeJsonAtomic } from './spec-cache';
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
  return { nodes: toNodes(specs, options), edges: toEdges(specs, options), saveParses, settled: moved.size === 0 };
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
