import { rmSync } from 'node:fs';

/** Removes this run's workspaces and template install (a few hundred MB); `KEEP_E2E=1` keeps them for a post-mortem. */
export default function globalTeardown(): void {
  const root = process.env.SPECTHIS_E2E_ROOT;
  if (root && !process.env.KEEP_E2E) rmSync(root, { recursive: true, force: true });
}
