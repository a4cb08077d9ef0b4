import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { lockFileRel } from '../core/lock/types';
import { specStem } from '../core/spec/parse';
import type { Entry, Spec } from '../core/spec/types';
import type { WorkspaceModel } from '../core/workspace/types';
import { AUDIT_TARGET, auditTarget } from './audit-target';
import { DASHBOARD_TARGET, dashboardTargets, SERVE_TARGET } from './dashboard-targets';
import { projectNameFor } from './project-name';
import { dependsOnItems, upstreamOutputInputs } from './upstream';

export const EXECUTOR = '@specthis/nx:run';
export const FAMILY_LABEL = { compute: 'compute', export: 'export' } as const;

export interface InferredProject {
  root: string;
  name: string;
  /** The spec the project's configuration is attributed to (the first in the directory). */
  source: string;
  specs: Spec[];
  targets: Record<string, TargetConfiguration>;
  targetGroups: Record<string, string[]>;
}

export const entryTarget = (entry: Pick<Entry, 'family' | 'name'>) => `${entry.family}--${entry.name}`;
export const invalidTarget = (spec: Pick<Spec, 'stem'>) => `invalid--${spec.stem}`;
const specDir = (spec: Spec) => posix.dirname(spec.file);

/**
 * Turns the workspace model into one project per spec directory, with one target
 * per entry, `compute`/`export` parents, one failing target per blocked spec, and
 * an `audit` target. The specsDir project always exists when there is any spec,
 * even with no spec of its own: it hosts the workspace-wide audit, `dashboard`
 * and `serve`.
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
  const projectOf = (file: string) => projectNameFor(posix.dirname(file));
  for (const project of projects.values()) {
    for (const spec of project.specs) {
      if (model.blocked.has(spec.file)) {
        project.targets[invalidTarget(spec)] = invalidSpecTarget(spec);
        continue;
      }
      for (const entry of spec.entries) project.targets[entryTarget(entry)] = entryTargetConfig(model, entry, projectOf);
    }
    addParents(project);
    project.targets[AUDIT_TARGET] = auditTarget(project, project.root === model.options.specsDir);
    project.targetGroups[AUDIT_TARGET] = [AUDIT_TARGET];
    if (project.root === model.options.specsDir) {
      Object.assign(project.targets, dashboardTargets(project));
      project.targetGroups[DASHBOARD_TARGET] = [DASHBOARD_TARGET, SERVE_TARGET];
    }
  }
  return [...projects.values()].sort((a, b) => (a.root < b.root ? -1 : 1));
}

function entryTargetConfig(model: WorkspaceModel, entry: Entry, projectOf: (file: string) => string): TargetConfiguration {
  const upstream = model.upstream.get(entry.name) ?? { entries: [], blockedSpecs: [] };
  const lockFile = lockFileRel(model.options.specsDir);
  const files = [entry.specFile, entry.script, ...entry.workflows].filter((f): f is string => !!f);
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
    inputs: [...[...new Set(files)].map((f) => `{workspaceRoot}/${f}`), lockInput, ...upstreamOutputInputs(model, upstream.entries)],
    outputs: [...owned.map((p) => `{workspaceRoot}/${p}`), `{workspaceRoot}/.specthis/receipts/${entry.name}.json`],
    dependsOn: dependsOnItems(projectOf(entry.specFile), [
      ...upstream.entries.map((u) => ({ project: projectOf(model.entries.get(u)!.specFile), target: `compute--${u}` })),
      ...upstream.blockedSpecs.map((file) => ({ project: projectOf(file), target: invalidTarget({ stem: specStem(file) }) })),
    ]),
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
      help: { command: `npx nx run ${projectNameFor(specDir(spec))}:${invalidTarget(spec)}`, example: { options: { spec: spec.file } } },
    },
  };
}

/** `compute` and `export` noop parents over the project's entry targets, grouped for Nx Console and `nx show project`. */
function addParents(project: InferredProject): void {
  const groups: Partial<Record<'compute' | 'export', string[]>> = {};
  for (const spec of project.specs) {
    const family = spec.kind === 'report' || spec.kind === 'figure' ? 'export' : 'compute';
    const children = project.targets[invalidTarget(spec)] ? [invalidTarget(spec)] : spec.entries.map(entryTarget);
    if (children.length) (groups[family] ??= []).push(...children);
  }
  for (const family of ['compute', 'export'] as const) {
    const children = groups[family]?.sort();
    if (!children) continue;
    project.targets[family] = {
      executor: 'nx:noop',
      dependsOn: children,
      metadata: {
        description: `Run every ${family} target of ${project.root} (${children.length})`,
        technologies: ['specthis'],
        help: { command: `npx nx run-many -t ${family} --projects=${project.name}`, example: {} },
      },
    };
    project.targetGroups[family] = [family, ...children];
  }
}
