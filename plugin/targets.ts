import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { lockFileRel, receiptRel } from '../core/layout';
import { runPaths } from '../core/spec/command';
import { specStem } from '../core/spec/parse';
import type { Entry, EntryFamily, Spec } from '../core/spec/types';
import type { WorkspaceModel } from '../core/workspace/types';
import { auditTarget } from './audit-target';
import { cacheTarget } from './cache-target';
import { cacheServerTarget } from './cache-server-target';
import { dashboardTargets } from './dashboard-targets';
import { entryTargetName, invalidTargetName, projectNameFor, projectOf, type TargetNames } from '../core/naming';
import { dependsOnItems, type Input, upstreamOutputInputs } from './upstream';

export const EXECUTOR = '@specthis/nx:run';

export interface InferredProject {
  root: string;
  name: string;
  /** The spec the project's configuration is attributed to (the first in the directory). */
  source: string;
  specs: Spec[];
  targets: Record<string, TargetConfiguration>;
  targetGroups: Record<string, string[]>;
}

const specDir = (spec: Spec) => posix.dirname(spec.file);

/**
 * Turns the workspace model into one project per spec directory, with one target
 * per entry, `compute`/`export` parents, one failing target per blocked spec, and
 * an `audit` target. The specsDir project always exists when there is any spec,
 * even with no spec of its own: it hosts the workspace-wide audit, `dashboard`,
 * `serve` and the results cache's `cache`.
 * Pure: the model in, plain configuration out.
 */
export function inferProjects(model: WorkspaceModel): InferredProject[] {
  const projects = new Map<string, InferredProject>();
  const ensure = (root: string, source: string) => {
    let project = projects.get(root);
    if (!project) projects.set(root, (project = { root, name: projectNameFor(root), source, specs: [], targets: {}, targetGroups: {} }));
    return project;
  };
  for (const spec of model.specs) ensure(specDir(spec), spec.file).specs.push(spec);
  // Nx needs a real directory that holds files as a root; specsDir holds the specs of its subdirectories.
  if (model.specs.length) ensure(model.options.specsDir, model.specs[0].file);
  const names = model.options.targetNames;
  const shared = upstreamParts(model);
  for (const project of projects.values()) {
    for (const spec of project.specs) {
      if (model.blocked.has(spec.file)) {
        project.targets[invalidTargetName(spec)] = invalidSpecTarget(spec);
        continue;
      }
      for (const entry of spec.entries) project.targets[entryTargetName(names, entry)] = entryTargetConfig(model, entry, shared(entry));
    }
    addParents(project, names);
    project.targets[names.audit] = auditTarget(project, names.audit, project.root === model.options.specsDir);
    project.targetGroups[names.audit] = [names.audit];
    if (project.root === model.options.specsDir) {
      Object.assign(project.targets, dashboardTargets(project, names));
      project.targetGroups[names.dashboard] = [names.dashboard, names.serve];
      project.targets[names.cache] = cacheTarget(project, names.cache);
      Object.assign(project.targets, cacheServerTarget(project, names));
      project.targetGroups[names.cache] = [names.cache, names.cacheServer];
    }
  }
  return [...projects.values()].sort((a, b) => (a.root < b.root ? -1 : 1));
}

type UpstreamPart = Pick<TargetConfiguration, 'inputs' | 'dependsOn'>;

type Dependency = NonNullable<TargetConfiguration['dependsOn']>[number];

// Nx may normalize what it is handed in place (with plugin isolation off its name substitution rewrites
// a dependency's `projects` array), so a shared part is handed out as copies, arrays within included.
/** Our upstream inputs hold strings and booleans only (plugin/upstream.ts): one level is a full copy. */
const copyInput = (input: Input): Input => (typeof input === 'object' ? { ...input } : input);
const copyDependency = (dep: Dependency): Dependency =>
  typeof dep === 'object' ? { ...dep, ...(Array.isArray(dep.projects) ? { projects: [...dep.projects] } : {}) } : dep;

/**
 * The upstream half of an entry target (its upstream outputs as inputs, its
 * `dependsOn`), worked out once per distinct upstream: every entry of a spec
 * without `Reads:` has the same one. Each target gets its own copies.
 */
function upstreamParts(model: WorkspaceModel): (entry: Entry) => Required<UpstreamPart> {
  const seen = new Map<string, Required<UpstreamPart>>();
  const names = model.options.targetNames;
  return (entry) => {
    const upstream = model.upstream.get(entry.name) ?? { entries: [], blockedSpecs: [] };
    const own = projectOf(entry.specFile);
    const key = [own, ...upstream.entries, '', ...upstream.blockedSpecs].join('\0');
    let part = seen.get(key);
    if (!part) {
      part = {
        inputs: upstreamOutputInputs(model, upstream.entries),
        dependsOn: dependsOnItems(own, [
          ...upstream.entries.map((u) => ({
            project: projectOf(model.entries.get(u)!.specFile),
            target: entryTargetName(names, model.entries.get(u)!),
          })),
          ...upstream.blockedSpecs.map((file) => ({ project: projectOf(file), target: invalidTargetName({ stem: specStem(file) }) })),
        ]),
      };
      seen.set(key, part);
    }
    return { inputs: part.inputs.map(copyInput), dependsOn: part.dependsOn.map(copyDependency) };
  };
}

function entryTargetConfig(model: WorkspaceModel, entry: Entry, upstream: Required<UpstreamPart>): TargetConfiguration {
  const lockFile = lockFileRel(model.options.specsDir);
  // What certification covers (core/hash/inputs.ts), the files a `Run:` command names included: Nx hashes a missing one as absent.
  const files = [entry.specFile, entry.script, ...entry.workflows, ...runPaths(entry)].filter((f): f is string => !!f);
  // Nx reads `fields` as dot paths, so an entry name with a dot falls back to the whole lock file.
  const lockInput = entry.name.includes('.')
    ? `{workspaceRoot}/${lockFile}`
    : { json: `{workspaceRoot}/${lockFile}`, fields: [entry.name] };
  const owned = model.outputRoots.get(entry.name) ?? entry.outputs;
  const verb = entry.family === 'compute' ? 'Compute' : 'Export';
  return {
    executor: EXECUTOR,
    options: { entry: entry.name },
    cache: true,
    inputs: [...[...new Set(files)].map((f) => `{workspaceRoot}/${f}`), lockInput, ...upstream.inputs],
    outputs: [...owned.map((p) => `{workspaceRoot}/${p}`), `{workspaceRoot}/${receiptRel(entry.name)}`],
    dependsOn: upstream.dependsOn,
    metadata: {
      description: `${verb} ${entry.name} (${entry.specFile}:${entry.line}): ${entry.script ?? 'no script'} -> ${entry.outputs.join(', ') || 'no output'}${entry.status === 'script TBD' ? ' [script TBD]' : ''}`,
      technologies: ['specthis'],
      help: { command: `npx nx show project ${projectOf(entry.specFile)} --json`, example: { options: { entry: entry.name } } },
    },
  };
}

function invalidSpecTarget(spec: Spec): TargetConfiguration {
  const errors = spec.diagnostics.filter((d) => d.severity === 'error');
  return {
    executor: EXECUTOR,
    options: { spec: spec.file },
    cache: false,
    metadata: {
      description: `${spec.file} has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${errors[0]?.line ?? 0}, ${errors[0]?.reason ?? 'unknown'}); run this target to see them all`,
      technologies: ['specthis'],
      help: { command: `npx nx run ${projectOf(spec.file)}:${invalidTargetName(spec)}`, example: { options: { spec: spec.file } } },
    },
  };
}

/** `compute` and `export` noop parents over the project's entry targets, grouped for Nx Console and `nx show project`. */
function addParents(project: InferredProject, names: TargetNames): void {
  const groups: Partial<Record<EntryFamily, string[]>> = {};
  for (const spec of project.specs) {
    const family = spec.kind === 'report' || spec.kind === 'figure' ? 'export' : 'compute';
    const invalid = invalidTargetName(spec);
    const children = project.targets[invalid] ? [invalid] : spec.entries.map((e) => entryTargetName(names, e));
    if (children.length) (groups[family] ??= []).push(...children);
  }
  for (const family of ['compute', 'export'] as const) {
    const children = groups[family]?.sort();
    if (!children) continue;
    const name = names[family];
    project.targets[name] = {
      executor: 'nx:noop',
      dependsOn: children,
      metadata: {
        description: `Run every ${family} target of ${project.root} (${children.length})`,
        technologies: ['specthis'],
        help: { command: `npx nx run-many -t ${name} --projects=${project.name}`, example: {} },
      },
    };
    project.targetGroups[name] = [name, ...children];
  }
}
