import type { WorkspaceModel } from '../workspace/types';

/**
 * Every declared output of every entry (compute `Output:`, report and figure
 * `Export outputs:`), workspace-relative, sorted, once each: what the live
 * server may serve. Paths that could leave the workspace are left out even
 * though the parser already reports them.
 */
export function declaredOutputs(model: WorkspaceModel): string[] {
  const paths = new Set<string>();
  for (const spec of model.specs) for (const entry of spec.entries) for (const p of entry.outputs) if (isInside(p)) paths.add(p);
  return [...paths].sort();
}

function isInside(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.includes('\\') && !path.split('/').some((s) => s === '..' || s === '.' || s === '');
}
