import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/**
 * This run's directory, outside the repo so jest's file crawler never walks the
 * installed template; one per run (global setup makes it and passes it to the
 * workers through the environment), so two runs never delete each other's.
 */
export const e2eRoot = (): string => process.env.SPECTHIS_E2E_ROOT ?? join(tmpdir(), 'specthis-e2e');
export const templateDir = (): string => join(e2eRoot(), 'template');
export const EXAMPLE_DIR = join(REPO_ROOT, 'examples', 'research');
/** The Nx the plugin is tested against (issue: a fresh Nx 24 workspace). */
export const NX_VERSION = '24.0.6';
