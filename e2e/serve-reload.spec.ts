import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type Browser } from './support/browser';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(300_000);

const SPEC = 'specs/models/compute-mincer.md';
const SPEC_ROUTE = `#spec/${SPEC}`;
const RELOAD_MS = 30_000;

/**
 * `npx specthis serve --port 0` in the example workspace, with a browser on
 * the page: saving a spec reloads the page by itself with the new content; an
 * unparsable spec keeps the page served, marked; fixing it clears the mark.
 */
describe('specthis serve: the open page follows the specs', () => {
  let ws: TestWorkspace;
  let server: ChildProcess;
  let output = '';
  let browser: Browser;
  let page: Page;
  let original: string;
  const errors: string[] = [];
  const streams: string[] = [];

  /** Sets a marker that only a real reload (a new document) clears. */
  const mark = () => page.evaluate(() => void ((globalThis as { __beforeReload?: boolean }).__beforeReload = true));
  const reloaded = () =>
    page.waitForFunction(() => !(globalThis as { __beforeReload?: boolean }).__beforeReload, null, { timeout: RELOAD_MS, polling: 100 });
  const save = (text: string) => ws.write(SPEC, text);

  beforeAll(async () => {
    ws = TestWorkspace.fromExample('serve-reload');
    original = ws.read(SPEC);
    // Its own process group, so stopping npx stops the server it started too.
    server = spawn('npx', ['--no-install', 'specthis', 'serve', '--port', '0'], {
      cwd: ws.root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
    server.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`specthis serve printed no URL in 120 s\n${output}`)), 120_000);
      server.stdout!.on('data', () => {
        const m = /the live dashboard is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      server.on('exit', (code) => reject(new Error(`specthis serve exited ${code} before listening\n${output}`)));
    });
    browser = await launchBrowser();
    page = await browser.page();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('request', (req) => req.url().includes('/_specthis/events') && streams.push(req.url()));
    await page.goto(`${url}${SPEC_ROUTE}`);
    await page.locator('#view-spec > h1').waitFor({ state: 'visible' });
    // Changes before the watcher's initial scan ends may be missed; the server says when it has ended.
    for (const until = Date.now() + 120_000; !/watching .* for changes/.test(output);) {
      if (Date.now() > until) throw new Error(`specthis serve never said it was watching\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (server?.pid && server.exitCode === null) {
      // 'close', not 'exit': the server npx started holds the same stdout pipe and may outlive npx by a moment.
      const closed = new Promise((r) => server.once('close', r));
      process.kill(-server.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((r) => (timer = setTimeout(r, 10_000, 'timeout')));
      if ((await Promise.race([closed, timeout])) === 'timeout') process.kill(-server.pid, 'SIGKILL');
      clearTimeout(timer);
    }
  });

  it('shows the spec as it is on disk', async () => {
    await expect(page.locator('#view-spec > h1').textContent()).resolves.toMatch(/^Mincer wage equations/);
  });

  it('opens its event stream with the build it was served from, so a rebuild before that is not missed', async () => {
    for (const until = Date.now() + 10_000; !streams.length && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
    expect(streams[0]).toMatch(/\/_specthis\/events\?since=\d+$/);
  });

  it("reloads by itself when the spec's title changes, and shows the new title", async () => {
    await mark();
    save(original.replace('title: Mincer wage equations', 'title: Mincer wage equations, revised while serving'));
    await reloaded();
    await expect(page.locator('#view-spec > h1').textContent()).resolves.toMatch(/^Mincer wage equations, revised while serving/);
    await screenshot(page, 'serve', 'after-title-edit');
  });

  it("reloads when an entry's Status changes, and the table shows it", async () => {
    await page.goto(page.url().replace(/#.*$/, '#entries'));
    await page.locator('#entry-rows tr').first().waitFor();
    const cert = page.locator('#entry-rows tr', { hasText: 'mincer-with-region' }).locator('td').nth(3);
    await expect(cert.textContent()).resolves.not.toMatch(/script TBD/);
    await mark();
    const lines = ws.read(SPEC).split('\n');
    const at = lines.findIndex((l, i) => l === '- Status: script ready' && lines.slice(0, i).some((p) => p === '### mincer-with-region'));
    lines[at] = '- Status: script TBD — the region indicators are being reconsidered';
    save(lines.join('\n'));
    await reloaded();
    await expect(cert.textContent()).resolves.toMatch(/script TBD/);
  });

  it('keeps serving when the spec stops parsing, with the spec marked by its diagnostic', async () => {
    await page.goto(page.url().replace(/#.*$/, SPEC_ROUTE));
    await page.locator('#view-spec > h1').waitFor();
    await mark();
    save(original.replace('kind: compute', 'kind: [compute'));
    await reloaded();
    const view = page.locator('#view-spec');
    await view.locator('.problem').waitFor({ state: 'visible', timeout: RELOAD_MS });
    await expect(view.locator('.findings .finding.error').first().textContent()).resolves.toMatch(
      /specs\/models\/compute-mincer\.md:\d+.*not valid YAML/,
    );
    await expect(page.locator('#tree .tree-file.broken', { hasText: 'compute-mincer' }).count()).resolves.toBe(1);
    await screenshot(page, 'serve', 'broken-spec');
  });

  it('clears the mark when the spec is fixed', async () => {
    await mark();
    save(original);
    await reloaded();
    await page.locator('#view-spec > h1').waitFor();
    await expect(page.locator('#view-spec .problem').count()).resolves.toBe(0);
    await expect(page.locator('#view-spec > h1').textContent()).resolves.toMatch(/^Mincer wage equations/);
    await expect(page.locator('#tree .tree-file.broken').count()).resolves.toBe(0);
    expect(output).toMatch(/rebuilt after 1 change \(specs\/models\/compute-mincer\.md\)/);
    expect(output).not.toMatch(/render failed/);
    expect(errors).toEqual([]);
  });
});
