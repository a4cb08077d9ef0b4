import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diskFiles } from '../core/scaffold/disk';
import { readNxJson } from '../core/scaffold/nx-json';
import { diagnostic, formatDiagnostic } from '../core/diagnostics/diagnostic';
import { loadWorkspace } from '../core/workspace/load';
import { canonicalSpecsDir } from '../core/workspace/options';
import { registeredOptions } from '../core/workspace/registration';
import type { SpecthisOptions, WorkspaceModel } from '../core/workspace/types';
import { usageError, workspaceError } from './exit';

/** The nearest directory at or above `cwd` holding nx.json, as Nx finds it; else `cwd` itself. */
export function findWorkspaceRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** A `--specs-dir` value, checked as nx.json's `specsDir` is (core/workspace/options.ts); a bad one is a usage error. */
export function specsDirArgument(value: string): string {
  const canonical = canonicalSpecsDir(value);
  if (canonical !== undefined) return canonical;
  const reason = 'invalid specs-dir: use a relative POSIX path inside the workspace, without `..`, backslashes or whitespace';
  throw usageError(
    `specthis: ${formatDiagnostic(diagnostic('options', '', { rule: 'option-path', reason, expected: 'specs', received: JSON.stringify(value) }))}`,
  );
}

/** nx.json as data, or a workspace error naming it. */
export function readNxJsonAt(root: string): ReturnType<typeof readNxJson> {
  try {
    return readNxJson(diskFiles(root));
  } catch (error) {
    throw workspaceError(`specthis: ${join(root, 'nx.json')}: ${(error as Error).message}`);
  }
}

/**
 * The plugin options the executors would use (nx.json, through the one reader
 * core/workspace/registration.ts), with `--specs-dir` taking precedence; an
 * option of the wrong form is a workspace error naming nx.json and the key.
 */
export function workspaceOptions(root: string, specsDir: string | undefined): SpecthisOptions {
  const { options, problems } = registeredOptions(readNxJsonAt(root));
  if (problems.length) throw workspaceError(problems.map((p) => formatDiagnostic(p, { specsDir: options.specsDir })).join('\n'));
  return specsDir === undefined ? options : { ...options, specsDir: specsDirArgument(specsDir) };
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
