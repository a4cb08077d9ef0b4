import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';

/**
 * Every declared output of every entry (compute `Output:`, report and figure
 * `Export outputs:`), workspace-relative, sorted, once each: what the live
 * server may serve. Paths that could leave the workspace are left out even
 * though the parser already reports them.
 */
export function declaredOutputs(model: WorkspaceModel): string[] {
  // A spec parsed from the same bytes keeps its entries array (the parse is memoized): a live rebuild redoes only the changed specs.
  const perSpec = model.specs.map((spec) => insideOutputs(spec.entries));
  if (last && last.perSpec.length === perSpec.length && last.perSpec.every((p, i) => p === perSpec[i])) return last.paths;
  const paths = [...new Set(perSpec.flat())].sort();
  last = { perSpec, paths };
  return paths;
}

let last: { perSpec: readonly string[][]; paths: string[] } | undefined;
const bySpecEntries = new WeakMap<readonly Entry[], string[]>();

function insideOutputs(entries: readonly Entry[]): string[] {
  let paths = bySpecEntries.get(entries);
  if (!paths) bySpecEntries.set(entries, (paths = entries.flatMap((e) => e.outputs.filter(isInside))));
  return paths;
}

function isInside(path: string): boolean {
  return (
    path !== '' &&
    !path.startsWith('/') &&
    !/^[A-Za-z]:/.test(path) &&
    !path.includes('\\') &&
    !path.split('/').some((s) => s === '..' || s === '.' || s === '')
  );
}
