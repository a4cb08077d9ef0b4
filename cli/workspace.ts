import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diskFiles } from '../core/scaffold/disk';
import { readNxJson } from '../core/scaffold/nx-json';
import { loadWorkspace, normalizeOptions } from '../core/workspace/load';
import type { SpecthisOptions, WorkspaceModel } from '../core/workspace/types';
import { pluginOptions } from '../executors/run/plugin-options';
import { relativePath } from '../generators/validate';
import { usageError, workspaceError } from './exit';

/** The nearest directory at or above `cwd` holding nx.json, as Nx finds it; else `cwd` itself. */
export function findWorkspaceRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** A `--specs-dir` value, checked like the generators' `specsDir`; a bad one is a usage error. */
export function specsDirArgument(value: string): string {
  try {
    return relativePath(value, 'specs-dir', 'specs');
  } catch (error) {
    throw usageError(`specthis: ${(error as Error).message}`);
  }
}

/** nx.json as data, or a workspace error naming it. */
export function readNxJsonAt(root: string): ReturnType<typeof readNxJson> {
  try {
    return readNxJson(diskFiles(root));
  } catch (error) {
    throw workspaceError(`specthis: ${join(root, 'nx.json')}: ${(error as Error).message}`);
  }
}

/** The plugin options the executors would use (nx.json), with `--specs-dir` taking precedence. */
export function workspaceOptions(root: string, specsDir: string | undefined): SpecthisOptions {
  const registered = pluginOptions(readNxJsonAt(root) as Parameters<typeof pluginOptions>[0]);
  return specsDir === undefined ? registered : normalizeOptions({ ...registered, specsDir: specsDirArgument(specsDir) });
}

export interface OpenWorkspace {
  root: string;
  options: SpecthisOptions;
  model: WorkspaceModel;
}

export function openWorkspace(cwd: string, specsDir: string | undefined): OpenWorkspace {
  const root = findWorkspaceRoot(cwd);
  const options = workspaceOptions(root, specsDir);
  return { root, options, model: loadWorkspace(root, options) };
}
