import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { NxJsonConfiguration } from '@nx/devkit';
import type { Spec } from '../core/spec/types';
import { inSpecsDir } from '../core/layout';
import { projectNameFor } from '../core/naming';
import { isPluginName } from '../core/workspace/registration';
import type { SpecthisOptions } from '../core/workspace/types';

/**
 * Project-level edges for `nx graph` and `nx affected` are the projects'
 * `implicitDependencies`, set in createNodes, not a createDependencies hook:
 * with plugin isolation on, Nx sends a plugin with that hook the whole project
 * configuration, and at 5,000 entries that cost a warm graph more than all our
 * other work (docs/decisions.md, "Project edges are implicitDependencies").
 *
 * An edge names its project exactly, which Nx resolves at once. Where another
 * plugin may rename that project, the edge names its directory instead
 * (`directory:<root>`, nx/src/utils/find-matching-projects.js): Nx's name
 * substitution leaves implicitDependencies alone, and a name that no longer
 * exists fails the whole graph. Nx matches a directory against every
 * project, so only those edges pay for it. Nx lets the last plugin to name a
 * root win, and its own project.json and package.json plugins come after
 * every plugin in nx.json.
 */
export const NAMING_FILES = ['project.json', 'package.json'] as const;

/**
 * The spec directories whose project another plugin may rename: all of them
 * when nx.json registers a plugin after ours (or ours under another name),
 * else those holding one of NAMING_FILES. Part of createNodes' cache key.
 * A root with glob characters is left out: Nx reads the pattern as a glob,
 * and no escaping holds for every root (a backslash defeats it), so its edge
 * keeps the exact name.
 */
export function renamableDirectories(root: string, specFiles: readonly string[], nxJson: NxJsonConfiguration | undefined): Set<string> {
  const dirs = [...new Set(specFiles.map((f) => posix.dirname(f)))].filter(isPlainRoot).sort();
  if (pluginsAfterOurs(nxJson)) return new Set(dirs);
  return new Set(dirs.filter((dir) => NAMING_FILES.some((name) => existsSync(join(root, dir, name)))));
}

function pluginsAfterOurs(nxJson: NxJsonConfiguration | undefined): boolean {
  const names = (nxJson?.plugins ?? []).map((p) => (typeof p === 'string' ? p : p.plugin));
  return names.length === 0 || !isPluginName(names[names.length - 1]);
}

/** A root Nx's matcher takes literally: no minimatch syntax at all. */
const isPlainRoot = (root: string) => !/[\\*?[\](){}!+@#,|]/.test(root);

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
  const ref = (dir: string) => (renamable.has(dir) ? `directory:${dir}` : projectNameFor(dir));
  return new Map([...upstream].map(([source, dirs]) => [source, [...dirs].map(ref).sort()]));
}
