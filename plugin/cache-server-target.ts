import type { TargetConfiguration } from '@nx/devkit';
import type { TargetNames } from '../core/naming';

/**
 * The team's Nx remote cache server on the specsDir project
 * (core/cache-server, docs/decisions.md "Nx remote cache"): continuous, with
 * Nx's ready signal as `serve` has (plugin/dashboard-targets.ts). `options: {}`
 * on purpose: Nx hashes every target's options into every task of the
 * project, so the store URL, port and the rest are read when it runs
 * (`--store=…` on the command line, or SPECTHIS_CACHE_URL), and changing them
 * moves no task hash. Not cached, no inputs: it is a server, not a build.
 */
export function cacheServerTarget(project: { name: string }, names: Pick<TargetNames, 'cacheServer'>): Record<string, TargetConfiguration> {
  return {
    [names.cacheServer]: {
      executor: '@specthis/nx:cache-server',
      options: {},
      continuous: true,
      readyWhen: { signal: true },
      cache: false,
      inputs: [],
      metadata: {
        description:
          "Serve the team's Nx remote cache on http://127.0.0.1:8766 over a results-cache store (--store or SPECTHIS_CACHE_URL), tokens from SPECTHIS_CACHE_SERVER_WRITE_TOKENS and SPECTHIS_CACHE_SERVER_READ_TOKENS",
        technologies: ['specthis'],
        help: {
          command: `npx nx run ${project.name}:${names.cacheServer} --store=s3://bucket/prefix`,
          example: { options: { store: 's3://bucket/prefix', port: 8766 } },
        },
      },
    },
  };
}
