import type { TargetConfiguration } from '@nx/devkit';

export const DASHBOARD_TARGET = 'dashboard';
export const SERVE_TARGET = 'serve';

/**
 * The whole-workspace dashboard targets of the specsDir project (DESIGN.md §7).
 * Neither is cached: the page shows receipts and the lock, and `.specthis/` is
 * gitignored, so Nx cannot hash what the page depends on. `inputs: []` for the
 * same reason as the audit target (plugin/audit-target.ts).
 */
export function dashboardTargets(project: { root: string; name: string }): Record<string, TargetConfiguration> {
  const page = `${project.root === '.' ? '' : `${project.root}/`}specs.html`;
  return {
    [DASHBOARD_TARGET]: {
      executor: '@specthis/nx:dashboard',
      options: {},
      cache: false,
      inputs: [],
      metadata: {
        description: `Write ${page}, a single-file dashboard of every spec, entry, state, output and paper section, with _index.json and _routing.json`,
        technologies: ['specthis'],
        help: { command: `npx nx run ${project.name}:${DASHBOARD_TARGET}`, example: { options: {} } },
      },
    },
    [SERVE_TARGET]: {
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
          command: `npx nx run ${project.name}:${SERVE_TARGET} --port=8765`,
          example: { options: { host: '127.0.0.1', port: 8765 } },
        },
      },
    },
  };
}
