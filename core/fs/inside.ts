import { realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { activeFileCache } from './file-cache';

const realRoots = new Map<string, string>();

function realpathOrUndefined(abs: string): string | undefined {
  try {
    return realpathSync.native(abs);
  } catch {
    return undefined;
  }
}

/** The path with every link resolved; for a path that does not exist, its nearest existing ancestor's, with the rest appended. */
function resolved(abs: string): string {
  const rest: string[] = [];
  for (let dir = abs; ; dir = dirname(dir)) {
    const real = realpathOrUndefined(dir);
    if (real !== undefined) return rest.length ? join(real, ...rest.reverse()) : real;
    if (dirname(dir) === dir) return abs;
    rest.push(dir.slice(dirname(dir).length + 1));
  }
}

/**
 * Where a workspace-relative path really leads, when that is outside the
 * workspace: a spec, script, workflow file or output that is a link (or sits
 * in a linked directory) resolving elsewhere. Undefined when it stays inside,
 * or does not exist anywhere. Callers read no byte of a path this answers
 * for, and say both paths (core/diagnostics/rules.ts, `path-outside-workspace`).
 */
export function outsideWorkspace(root: string, rel: string): string | undefined {
  let realRoot = realRoots.get(root);
  if (realRoot === undefined) realRoots.set(root, (realRoot = realpathOrUndefined(root) ?? root));
  const abs = join(root, rel);
  const cache = activeFileCache();
  const real = cache ? cache.realpath(abs, resolved) : resolved(abs);
  const within = relative(realRoot, real);
  return within === '' || (!within.startsWith(`..${sep}`) && within !== '..' && !within.startsWith(sep)) ? undefined : real;
}
