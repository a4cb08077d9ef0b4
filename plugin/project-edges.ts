import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Spec } from '../core/spec/types';
import { inSpecsDir } from '../core/layout';
import { projectNameFor } from '../core/naming';
import type { SpecthisOptions } from '../core/workspace/types';

/**
 * Project-level edges for `nx graph` and `nx affected` are the projects'
 * `implicitDependencies`, set in createNodes, not a createDependencies hook:
 * with plugin isolation on, Nx sends a plugin with that hook the whole project
 * configuration, and at 5,000 entries that cost a warm graph more than all our
 * other work (docs/decisions.md, "Project edges are implicitDependencies").
 *
 * An edge names its project exactly, which Nx resolves at once. Where a file
 * in the upstream directory can rename that project (Nx's own project.json and
 * package.json plugins name a project from it; its name substitution leaves
 * implicitDependencies alone, and a name that no longer exists fails the whole
 * graph), the edge names the directory instead. Nx matches a directory
 * pattern against every project, so it is kept for those.
 */
export const NAMING_FILES = ['project.json', 'package.json'] as const;

/** The spec directories holding one of NAMING_FILES: part of createNodes' cache key, as the edges depend on it. */
export function renamableDirectories(root: string, specFiles: readonly string[]): Set<string> {
  const dirs = new Set(specFiles.map((f) => posix.dirname(f)));
  return new Set([...dirs].filter((dir) => NAMING_FILES.some((name) => existsSync(join(root, dir, name)))).sort());
}

/**
 * A spec's project depends on the project of every spec in its `depends_on`
 * that exists and lives in another directory: by project root, the sorted
 * implicitDependencies of each project that has any.
 */
export function projectEdges(specs: readonly Spec[], options: SpecthisOptions, renamable: ReadonlySet<string>): Map<string, string[]> {
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
  const ref = (dir: string) => (renamable.has(dir) ? directoryPattern(dir) : projectNameFor(dir));
  return new Map([...upstream].map(([source, dirs]) => [source, [...dirs].map(ref).sort()]));
}

/**
 * Nx's pattern for the project at `root`, whatever its name
 * (nx/src/utils/find-matching-projects.js). Nx reads the root as a minimatch
 * glob, so its glob characters are escaped.
 */
export function directoryPattern(root: string): string {
  return `directory:${root.replace(/[\\*?[\](){}!+@#,|]/g, '\\$&')}`;
}
