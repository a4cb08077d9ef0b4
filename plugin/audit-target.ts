import type { TargetConfiguration } from '@nx/devkit';

export const AUDIT_EXECUTOR = '@specthis/nx:audit';

/**
 * The `audit` target of a spec project. The project whose root is specsDir
 * audits the whole workspace (and writes `_index.json`, `_routing.json`);
 * every other project audits the specs in its own directory. Never cached:
 * the audit reads scripts, results and the paper, far beyond any input list.
 *
 * `inputs: []` (measured on Nx 24.0.6): with the default inputs Nx hashes the
 * project's own files, and a specsDir that holds only subdirectories has none,
 * so `nx run specs:audit` failed with "project specs not found". An uncached
 * target needs no hash.
 */
export function auditTarget(project: { root: string; name: string }, targetName: string, wholeWorkspace: boolean): TargetConfiguration {
  const what = wholeWorkspace ? 'every spec of the workspace' : `the specs in ${project.root}/`;
  return {
    executor: AUDIT_EXECUTOR,
    options: wholeWorkspace ? {} : { scope: project.root },
    cache: false,
    inputs: [],
    metadata: {
      description: `Audit ${what} against the working tree: scripts, contracts, outputs and keys, exports, report routing, certification, freshness${wholeWorkspace ? '; writes _index.json and _routing.json' : ''}`,
      technologies: ['specthis'],
      help: { command: `npx nx run ${project.name}:${targetName} --format=json`, example: { options: { format: 'json' } } },
    },
  };
}
