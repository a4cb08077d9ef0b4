import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, NX_VERSION } from './paths';

/**
 * Packs the plugin as it would be published and installs the tarball, with the
 * real nx, into one template workspace that every e2e workspace links to.
 * Runs once per jest invocation; `npm test` has built `dist/` just before.
 */
export default function globalSetup(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
  const E2E_ROOT = mkdtempSync(join(tmpdir(), 'specthis-e2e-'));
  process.env.SPECTHIS_E2E_ROOT = E2E_ROOT;
  const TEMPLATE_DIR = join(E2E_ROOT, 'template');
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', E2E_ROOT], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = join(E2E_ROOT, JSON.parse(packed)[0].filename);
  writeFileSync(
    join(TEMPLATE_DIR, 'package.json'),
    JSON.stringify(
      { name: 'e2e-template', private: true, devDependencies: { nx: NX_VERSION, '@specthis/nx': `file:${tarball}` } },
      null,
      2,
    ),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: TEMPLATE_DIR,
    stdio: 'inherit',
  });
  const installed = readdirSync(join(TEMPLATE_DIR, 'node_modules', '@specthis', 'nx'));
  if (!installed.includes('executors.json')) throw new Error(`packed plugin is incomplete: ${installed.join(', ')}`);
}
