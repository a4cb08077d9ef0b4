import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../receipts/atomic';
import { RENDERER_VERSION, rememberRendered } from './markdown';

/**
 * Rendered spec bodies kept between runs, machine-local beside the receipts:
 * a 1,000-spec workspace spends seconds in remark, and between two
 * `specthis dashboard` runs almost no spec changed. Keys hash the renderer
 * version, the spec, its link context and its text, so a stale body can
 * never be served; a missing or unreadable file just means rendering again.
 * It holds only the bodies of the last build, so it never grows past the
 * workspace.
 */
export const RENDER_CACHE_FILE = '.specthis/cache/dashboard-markdown.json';

const loaded = new Set<string>();

/** Reads the cache into the renderer's memo, once per workspace and process. */
export function loadRenderCache(root: string): void {
  if (loaded.has(root)) return;
  loaded.add(root);
  try {
    const doc = JSON.parse(readFileSync(join(root, RENDER_CACHE_FILE), 'utf8')) as { version?: unknown; bodies?: unknown };
    if (doc.version !== RENDERER_VERSION || typeof doc.bodies !== 'object' || doc.bodies === null) return;
    rememberRendered(Object.entries(doc.bodies as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    // absent or damaged: render
  }
}

/** Replaces the cache with this build's bodies; a cache that cannot be written is not worth failing the dashboard for. */
export function saveRenderCache(root: string, bodies: ReadonlyMap<string, string>): void {
  const sorted: Record<string, string> = {};
  for (const key of [...bodies.keys()].sort()) sorted[key] = bodies.get(key)!;
  try {
    writeFileAtomic(join(root, RENDER_CACHE_FILE), JSON.stringify({ version: RENDERER_VERSION, bodies: sorted }));
  } catch {
    // read-only checkout, full disk: the next build renders again
  }
}
