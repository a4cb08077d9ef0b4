import { outsideWorkspace } from '../fs/inside';
import { runPaths } from '../spec/command';
import type { Entry } from '../spec/types';

/**
 * The entry's paths that lead out of the workspace through a link (its spec,
 * script, workflow files, the files its `Run:` names, its outputs), with
 * where they lead. The run, certification and the audit refuse each by name
 * and read none of them.
 */
export function pathsOutside(root: string, entry: Entry, owned: readonly string[] = []): { path: string; real: string }[] {
  const paths = [
    entry.specFile,
    ...(entry.script ? [entry.script] : []),
    ...entry.workflows,
    ...runPaths(entry),
    ...owned,
    ...entry.outputs,
  ];
  return [...new Set(paths)].flatMap((path) => {
    const real = outsideWorkspace(root, path);
    return real === undefined ? [] : [{ path, real }];
  });
}
