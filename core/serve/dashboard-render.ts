import { AuditMemo } from '../audit/memo';
import { buildDashboard } from '../dashboard';
import { JsonMemo } from '../dashboard/escape';
import { PageMemo } from '../dashboard/page-memo';
import { FileCache } from '../fs/file-cache';
import type { SpecthisOptions } from '../workspace/types';
import type { Render } from './live-build';

/**
 * The real render: core/dashboard's buildDashboard, reading through a
 * FileCache that forgets exactly the paths the watcher reported, so a
 * re-render after one save re-reads one file instead of the workspace, and
 * an AuditMemo that re-classifies only the entries that read it.
 * Serves from memory: nothing is written (the `dashboard` target writes
 * specs.html, _index.json and _routing.json).
 */
export function dashboardRender(root: string, options: SpecthisOptions): Render {
  const cache = new FileCache(root);
  const auditMemo = new AuditMemo();
  const jsonMemo = new JsonMemo();
  const pageMemo = new PageMemo();
  return (changed, structural) => {
    // The memo forgets exactly what the cache forgets: what it keeps was computed from bytes the cache still holds.
    cache.invalidate(changed, structural);
    auditMemo.invalidate(root, changed, structural);
    return cache.run(() => buildDashboard(root, options, { generated: false, auditMemo, jsonMemo, pageMemo }));
  };
}
