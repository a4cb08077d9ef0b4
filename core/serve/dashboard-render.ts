import { buildDashboard } from '../dashboard';
import { FileCache } from '../fs/file-cache';
import type { SpecthisOptions } from '../workspace/types';
import type { Render } from './live-build';

/**
 * The real render: core/dashboard's buildDashboard, reading through a
 * FileCache that forgets exactly the paths the watcher reported, so a
 * re-render after one save re-reads one file instead of the workspace.
 * Serves from memory: nothing is written (the `dashboard` target writes
 * specs.html, _index.json and _routing.json).
 */
export function dashboardRender(root: string, options: SpecthisOptions): Render {
  const cache = new FileCache(root);
  return (changed, structural) => {
    cache.invalidate(changed, structural);
    return cache.run(() => buildDashboard(root, options, { generated: false }));
  };
}
