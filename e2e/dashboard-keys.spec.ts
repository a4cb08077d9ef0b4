import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './support/browser';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

/**
 * Nothing keyed by user text is a plain object lookup in the page: an entry
 * named `constructor` opens, and routes named after Object.prototype's members
 * fall back to the table instead of throwing (issue 13, case 7).
 */
describe('specs.html routes named like Object.prototype members', () => {
  let ws: TestWorkspace;
  let browser: Browser;
  let page: Page;
  let url: string;
  const errors: string[] = [];

  beforeAll(async () => {
    ws = TestWorkspace.fromExample('dashboard-keys');
    ws.write(
      'specs/data/compute-keys.md',
      '---\nname: compute-keys\nkind: compute\n---\n\n# Keys\n\n## Entry\n\n### constructor\n- Script: `scripts/constructor.py`\n- Output: `results/compute-keys-constructor/out.json`\n- Status: script TBD — named to test the page\n',
    );
    ws.nxOk('run', 'specs:dashboard', '--outputStyle=static');
    url = pathToFileURL(ws.path('specs/specs.html')).href;
    browser = await launchBrowser();
    page = await browser.page();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens #entry/constructor on its spec page', async () => {
    await page.goto(`${url}#entry/constructor`);
    const view = page.locator('#view-spec');
    await view.waitFor({ state: 'visible' });
    await expect(view.locator('.markdown h1').textContent()).resolves.toBe('Keys');
    await expect(page.title()).resolves.toBe('constructor · specthis');
  });

  it.each(['#spec/__proto__', '#entry/toString', '#entry/__proto__', '#spec/constructor', '#entry/hasOwnProperty'])(
    'shows the entry table for %s, without an error',
    async (hash) => {
      await page.goto(`${url}${hash}`);
      await page.waitForSelector('#entry-rows tr');
      await expect(page.locator('#view-entries').isVisible()).resolves.toBe(true);
    },
  );

  it('raised no script error on any of them', () => {
    expect(errors).toEqual([]);
  });
});
