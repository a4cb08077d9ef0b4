import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './paths';

/** The system Chromium (Debian's package; .ci/run installs it). Never a downloaded browser. */
export const CHROMIUM = process.env.SPECTHIS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Without the background-networking switches, Chromium on a machine with no
 * network keeps retrying refused connections (updates, sync, QUIC) and can hang
 * at start or on close.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** A new tab. */
  page(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile in a temp dir, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'specthis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
  return {
    context,
    page: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots go to `test-output/<group>/` at the repo root (gitignored); returns the file written. */
export async function screenshot(page: Page, group: string, name: string): Promise<string> {
  const dir = join(REPO_ROOT, 'test-output', group);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
