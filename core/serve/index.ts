import type { SpecthisOptions } from '../workspace/types';
import { dashboardRender } from './dashboard-render';
import { serveWorkspace, type ServeHandle, type ServeOptions } from './serve';

export { DEFAULT_HOST, DEFAULT_PORT } from './server';
export { serveWorkspace, STDERR_LOG, type ServeHandle, type ServeOptions } from './serve';
export { DEFAULT_DEBOUNCE_MS } from './live-build';
export { listenFailure } from './listen-failure';
export { waitForSignal } from './signals';

/** The live dashboard of a workspace (docs/architecture.md, "Dashboard"): `specthis serve` and the `serve` executor. */
export async function serveDashboard(root: string, options: SpecthisOptions, serve: ServeOptions = {}): Promise<ServeHandle> {
  const handle = await serveWorkspace(root, options.specsDir, dashboardRender(root, options), serve);
  void handle.live.warm(WARM_RENDERS);
  return handle;
}

/** Unpublished renders after start-up (LiveBuild.warm): after three, a save's rebuild took its steady time. */
const WARM_RENDERS = 3;
