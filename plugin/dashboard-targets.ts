import type { TargetConfiguration } from '@nx/devkit';
import { DASHBOARD_FILE, inSpecsDir } from '../core/layout';
import type { TargetNames } from '../core/naming';

/**
 * The whole-workspace dashboard targets of the specsDir project (docs/architecture.md, "Dashboard").
 * Neither is cached: the page shows receipts and the lock, and `.specthis/` is
 * gitignored, so Nx cannot hash what the page depends on. `inputs: []` for the
 * same reason as the audit target (plugin/audit-target.ts).
 */
export function dashboardTargets(
  project: { root: string; name: string },
  names: Pick<TargetNames, 'dashboard' | 'serve'>,
): Record<string, TargetConfiguration> {
  const page = inSpecsDir(project.root, DASHBOARD_FILE);
  return {
    [names.dashboard]: {
      executor: '@specthis/nx:dashboard',
      options: {},
      cache: false,
      inputs: [],
      metadata: {
        description: `Write ${page}, a single-file dashboard of every spec, entry, state, output and paper section, with _index.json and _routing.json`,
        technologies: ['specthis'],
        help: { command: `npx nx run ${project.name}:${names.dashboard}`, example: { options: {} } },
      },
    },
    [names.serve]: {
      executor: '@specthis/nx:serve',
      options: {},
      continuous: true,
      // The executor reports when it listens (emitReadySignal, with its URL): a dependent with `waitFor: "ready"` gets NX_READY_URL.
      readyWhen: { signal: true },
      cache: false,
      inputs: [],
      metadata: {
        description:
          'Serve the live dashboard on http://127.0.0.1:8765: re-rendered when specs, scripts, outputs, the lock or the paper change, reloaded in the browser',
        technologies: ['specthis'],
        help: {
          command: `npx nx run ${project.name}:${names.serve} --port=8765`,
          example: { options: { host: '127.0.0.1', port: 8765 } },
        },
      },
    },
  };
}
