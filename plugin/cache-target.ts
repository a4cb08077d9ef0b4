import type { TargetConfiguration } from '@nx/devkit';

/**
 * The `cache` target of the specsDir project: the results cache's operations
 * (executors/cache/executor.ts). Present whether or not a cache is configured,
 * like `dashboard`, so `nx show project` shows it and running it says how to
 * configure one. Never cached, `inputs: []`: it reads and writes the store, far
 * beyond any input list (plugin/audit-target.ts, for why an empty list).
 */
export function cacheTarget(project: { name: string }, targetName: string): TargetConfiguration {
  return {
    executor: '@specthis/nx:cache',
    options: {},
    cache: false,
    inputs: [],
    metadata: {
      description: 'The results cache: per entry what a run would fetch, run or skip (--action=status), and push, fetch, has, list, prune',
      technologies: ['specthis'],
      help: {
        command: `npx nx run ${project.name}:${targetName} --action=status`,
        example: { options: { action: 'push', entries: [] } },
      },
    },
  };
}
