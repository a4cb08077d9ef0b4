import { posix } from 'node:path';
import type { CreateNodesResultArray } from '@nx/devkit';
import type { Spec } from '../core/spec/types';
import { analyzeWorkspace } from '../core/workspace/analyze';
import { readSpec } from '../core/workspace/load';
import { inSpecsDir } from '../core/layout';
import type { SpecthisOptions } from '../core/workspace/types';
import { isParseCache, isSpec, readJson, writeJsonAtomic } from './spec-cache';
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
  return { nodes: toNodes(specs, options), saveParses, settled: moved.size === 0 };
}

export function toNodes(specs: Spec[], options: SpecthisOptions): CreateNodesResultArray {
  const model = analyzeWorkspace(specs, options);
  const upstream = upstreamDirectories(specs, options);
  return inferProjects(model).map((p) => {
    const dirs = upstream.get(p.root);
    return [
      p.source,
      {
        projects: {
          [p.root]: {
            name: p.name,
            targets: p.targets,
            ...(dirs && { implicitDependencies: [...dirs].sort().map(directoryPattern) }),
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

/**
 * Project-level edges for `nx graph` and `nx affected`: a spec's directory
 * depends on the directory of every spec in its `depends_on` that exists.
 * They are `implicitDependencies`, not a createDependencies hook: with plugin
 * isolation on, Nx sends a plugin with that hook the whole project
 * configuration, and that cost a warm graph more than all our other work
 * (docs/decisions.md, "Project edges are implicitDependencies by directory").
 */
export function upstreamDirectories(specs: Spec[], options: SpecthisOptions): Map<string, Set<string>> {
  const known = new Set(specs.map((s) => s.specPath));
  const upstream = new Map<string, Set<string>>();
  for (const spec of specs) {
    const source = posix.dirname(spec.file);
    for (const dep of spec.dependsOn) {
      if (!known.has(dep)) continue;
      const target = posix.dirname(inSpecsDir(options.specsDir, dep));
      if (target === source) continue;
      let dirs = upstream.get(source);
      if (!dirs) upstream.set(source, (dirs = new Set()));
      dirs.add(target);
    }
  }
  return upstream;
}

/**
 * Nx's pattern for the project at `root` (nx/src/utils/find-matching-projects.js):
 * by directory, so the edge still holds when another plugin renames the
 * project (Nx's name substitution leaves implicitDependencies alone, and a
 * name that no longer exists fails the whole graph). The root is matched as a
 * minimatch glob, so its glob characters are escaped.
 */
export function directoryPattern(root: string): string {
  return `directory:${root.replace(/[\\*?[\](){}!+@#,|]/g, '\\$&')}`;
}
