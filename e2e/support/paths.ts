import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Outside the repo, so jest's file crawler never walks the installed template. */
export const E2E_ROOT = join(tmpdir(), 'specthis-e2e');
export const TEMPLATE_DIR = join(E2E_ROOT, 'template');
export const EXAMPLE_DIR = join(REPO_ROOT, 'examples', 'research');
/** The Nx the plugin is tested against (issue: a fresh Nx 24 workspace). */
export const NX_VERSION = '24.0.6';
