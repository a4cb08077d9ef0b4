import type { TargetConfiguration, TargetDependencyConfig } from '@nx/devkit';
import type { WorkspaceModel } from '../core/workspace/types';

export type Input = NonNullable<TargetConfiguration['inputs']>[number];

/**
 * A path Nx's glob engine would read as more than itself, or that would split
 * a brace group (`,`). Such a path keeps a `dependentTasksOutputFiles` input
 * of its own, exactly as written, instead of joining the group.
 */
const GLOB_SYNTAX = /[\\*?[\]{}()!,]/;

/**
 * The upstream results an entry's hash depends on, as one
 * `dependentTasksOutputFiles` input: a brace group over every upstream output
 * root, directories as `<parent>/{<a>,<b>}/**\/*` and files (exact paths) as
 * `<parent>/{<x>,<y>}`. Nx 24 applies such a glob to the outputs of every
 * direct dependency task, and its native glob builder (`build_glob_set`)
 * splits a glob that is one top-level `{...}` group into its alternatives;
 * globset matches the `{a,b}` left in each. So the group selects the same
 * files as the one input per root it replaces.
 *
 * Paths, never `**\/*`: the upstream receipt `.specthis/receipts/<u>.json` is
 * an output too, and its timestamps must not move this hash.
 */
export function upstreamOutputInputs(model: WorkspaceModel, upstream: string[]): Input[] {
  const dirs = new Map<string, Set<string>>();
  const files = new Map<string, Set<string>>();
  const apart = new Set<string>();
  for (const u of upstream) {
    const declared = model.entries.get(u)!.outputs;
    for (const root of model.outputRoots.get(u) ?? []) {
      const isFile = declared.includes(root);
      const name = root.slice(root.lastIndexOf('/') + 1);
      if (!name || GLOB_SYNTAX.test(root)) apart.add(isFile ? root : `${root}/**/*`);
      else add(isFile ? files : dirs, root.slice(0, root.length - name.length), name);
    }
  }
  const grouped = [...alternatives(dirs, '/**/*'), ...alternatives(files, '')].sort();
  const patterns = [...(grouped.length > 1 ? [`{${grouped.join(',')}}`] : grouped), ...[...apart].sort()];
  return patterns.map((dependentTasksOutputFiles) => ({ dependentTasksOutputFiles, transitive: false }));
}

function add(byParent: Map<string, Set<string>>, parent: string, name: string): void {
  let names = byParent.get(parent);
  if (!names) byParent.set(parent, (names = new Set()));
  names.add(name);
}

/** `<parent>/{a,b}<suffix>` per parent directory (`<parent>/a<suffix>` for one name). */
function alternatives(byParent: Map<string, Set<string>>, suffix: string): string[] {
  return [...byParent].map(([parent, set]) => {
    const names = [...set].sort();
    return `${parent}${names.length > 1 ? `{${names.join(',')}}` : names[0]}${suffix}`;
  });
}

/**
 * `dependsOn` items in Nx's string forms where they are unambiguous: a bare
 * target name for the entry's own project, `project:target` for another.
 * A name holding `:` (a project in a directory with a colon, a spec stem
 * with one) or a project name starting with `^` keeps the object form.
 * Sorted, strings first.
 */
export function dependsOnItems(own: string, deps: { project: string; target: string }[]): (string | TargetDependencyConfig)[] {
  const strings = new Set<string>();
  const objects = new Map<string, TargetDependencyConfig>();
  for (const { project, target } of deps) {
    if (target.includes(':') || project.includes(':') || project.startsWith('^'))
      objects.set(`${project}\0${target}`, { projects: [project], target });
    else strings.add(project === own ? target : `${project}:${target}`);
  }
  return [...[...strings].sort(), ...[...objects.keys()].sort().map((k) => objects.get(k)!)];
}
