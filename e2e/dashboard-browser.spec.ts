import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type Browser } from './support/browser';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(900_000);

const ENTRIES = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];
const SPECS = [
  'broken/not-yaml.md',
  'data/compute-clean.md',
  'definitions.md',
  'models/compute-mincer.md',
  'notes/hostile.md',
  'paper/report-wage-table.md',
];

/** Every way a spec could try to run script; each payload would set `pwned` on the page's window. The page renders and sanitizes spec Markdown in the browser. */
const HOSTILE = [
  '---',
  'name: hostile',
  'kind: definitions',
  'title: Hostile notes',
  'depends_on: []',
  '---',
  '',
  '# Hostile notes',
  '',
  'See [the definitions](../definitions.md).',
  '',
  '<script>window.pwned = "script"</script>',
  '',
  '<img src="x" onerror="window.pwned = \'img\'">',
  '',
  '[click me](javascript:window.pwned="link")',
  '',
  '<svg onload="window.pwned = \'svg\'"><script>window.pwned = "svg-script"</script></svg>',
  '',
  '<iframe src="javascript:window.pwned=\'iframe\'"></iframe>',
  '',
  '![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '',
].join('\n');

/** This project's TypeScript has no DOM types; what the page functions below use of them. A string predicate would need 'unsafe-eval', which the page's CSP forbids. */
interface InPage {
  document: { querySelectorAll(selector: string): { length: number } };
  location: { hash: string };
  pwned?: string;
}
const rowCount = (page: Page, n: number) =>
  page.waitForFunction((want) => (globalThis as unknown as InPage).document.querySelectorAll('#entry-rows tr').length === want, n);
const rowNames = (page: Page) => page.$$eval('#entry-rows tr .entry-link', (links) => links.map((a) => a.textContent ?? ''));

/**
 * The page `nx run specs:dashboard` writes, after the example pipeline ran,
 * opened from disk in headless Chromium (docs/architecture.md, "Dashboard"): every entry in the
 * table, sorting, filtering, a spec's rendered Markdown, the DAG, a broken
 * spec marked with its diagnostic, and not one network request.
 */
describe('specs.html in a browser, opened from file://', () => {
  let ws: TestWorkspace;
  let browser: Browser;
  let page: Page;
  let url: string;
  const requests: string[] = [];
  const errors: string[] = [];
  const shots: string[] = [];

  beforeAll(async () => {
    ws = TestWorkspace.fromExample('dashboard-browser');
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    // As the results cache leaves a fetched entry's receipt (core/cache/fetch.ts): the card names where its outputs came from.
    const receipt = JSON.parse(ws.read('.specthis/receipts/mincer-baseline.json'));
    receipt.source = { cache: 's3://team-results/paper', archivedBy: 'ci-runner-7', archivedAt: '2026-11-30T08:00:00.000Z' };
    ws.write('.specthis/receipts/mincer-baseline.json', JSON.stringify(receipt, null, 2) + '\n');
    mkdirSync(ws.path('specs/broken'));
    ws.write('specs/broken/not-yaml.md', '---\nname: not-yaml\nkind: [compute\n---\n# Not YAML\n');
    mkdirSync(ws.path('specs/notes'));
    ws.write('specs/notes/hostile.md', HOSTILE);
    const r = ws.nx('run', 'specs:dashboard', '--outputStyle=static');
    if (!ws.exists('specs/specs.html')) throw new Error(`nx run specs:dashboard wrote no specs/specs.html (exit ${r.code})\n${r.output}`);
    url = pathToFileURL(ws.path('specs/specs.html')).href;
    browser = await launchBrowser();
    page = await browser.page();
    page.on('request', (req) => requests.push(req.url()));
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()}`));
    await page.goto(url);
    await page.waitForSelector('#entry-rows tr');
  });

  afterAll(async () => {
    await browser?.close();
    if (shots.length) process.stdout.write(`screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}\n`);
  });

  it('lists every entry of the example in the table', async () => {
    expect((await rowNames(page)).sort()).toEqual(ENTRIES);
    await expect(page.locator('#table-count').textContent()).resolves.toMatch(/4 matching entries \(4 in all\)/);
    shots.push(await screenshot(page, 'dashboard', 'table'));
  });

  it('sorts by a column when its header is clicked, and reverses on a second click', async () => {
    const header = page.locator('table.entries th[data-key="name"]');
    await header.locator('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    const ascending = await rowNames(page);
    expect(ascending).toEqual([...ENTRIES].sort());
    await header.locator('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    const descending = await rowNames(page);
    expect(descending).toEqual([...ENTRIES].sort().reverse());
    expect(descending).not.toEqual(ascending);
  });

  it('narrows the rows to those matching what is typed in the filter', async () => {
    const filter = page.locator('#table-filter');
    await filter.fill('mincer');
    await rowCount(page, 2);
    expect((await rowNames(page)).sort()).toEqual(['mincer-baseline', 'mincer-with-region']);
    await filter.fill('with-region');
    await rowCount(page, 1);
    expect(await rowNames(page)).toEqual(['mincer-with-region']);
    await filter.fill('');
    await rowCount(page, 4);
  });

  it("renders a spec's page with its Markdown, reached from the table", async () => {
    await page.locator('#entry-rows tr', { hasText: 'mincer-baseline' }).locator('a.spec-link').click();
    const view = page.locator('#view-spec');
    await view.waitFor({ state: 'visible' });
    await expect(view.locator('.markdown h1').textContent()).resolves.toBe('Mincer wage equations');
    expect(await view.locator('.markdown h1').isVisible()).toBe(true);
    await expect(view.locator('.markdown h2', { hasText: 'Entries' }).count()).resolves.toBe(1);
    await expect(view.locator('.entry-card#entry-mincer-with-region').count()).resolves.toBe(1);
    await expect(view.locator('.entry-card#entry-mincer-baseline .source').textContent()).resolves.toMatch(
      /^outputs fetched from the results cache s3:\/\/team-results\/paper, pushed by ci-runner-7 at /,
    );
    await expect(view.locator('.entry-card#entry-mincer-with-region .source').count()).resolves.toBe(0);
    shots.push(await screenshot(page, 'dashboard', 'spec-page'));
  });

  it('draws the pipeline DAG with one node per spec', async () => {
    await page.locator('a[data-view="pipeline"]').click();
    const svg = page.locator('#view-pipeline svg.dag');
    await svg.waitFor({ state: 'visible' });
    const nodes = await svg
      .locator('a.node')
      .evaluateAll((as) => as.map((a) => a.querySelector('title')?.textContent?.split(' — ')[0] ?? ''));
    expect(nodes.sort()).toEqual(SPECS);
    // Every depends_on edge of the example: definitions and compute-clean feed compute-mincer, which feeds the report.
    await expect(svg.locator('path.edge').count()).resolves.toBe(4);
    shots.push(await screenshot(page, 'dashboard', 'dag'));
  });

  it('shows the paper routing of reports/paper.tex', async () => {
    await page.locator('a[data-view="paper"]').click();
    const view = page.locator('#view-paper');
    await view.waitFor({ state: 'visible' });
    // The results section inputs the table the report entry exports.
    await expect(view.textContent()).resolves.toMatch(
      /reports\/paper\.tex[\s\S]*sec:results[\s\S]*\\input\{tables\/mincer\}[\s\S]*reports\/tables\/mincer\.tex[\s\S]*wage-table/,
    );
    shots.push(await screenshot(page, 'dashboard', 'paper'));
  });

  it('marks the spec whose front matter is not YAML, with its diagnostic', async () => {
    const link = page.locator('#tree .tree-file.broken', { hasText: 'not-yaml' });
    await expect(link.count()).resolves.toBe(1);
    await link.click();
    const view = page.locator('#view-spec');
    await view.locator('.problem').waitFor({ state: 'visible' });
    const finding = view.locator('.findings .finding.error').first();
    await expect(finding.textContent()).resolves.toMatch(/specs\/broken\/not-yaml\.md:3.*front matter is not valid YAML/);
    // The expected form is shown with its lines, as it would be written in the spec.
    await expect(finding.locator('.expected code').innerText()).resolves.toMatch(/^---\nname: .*\nkind: /);
    shots.push(await screenshot(page, 'dashboard', 'broken-spec'));
  });

  it('renders a hostile spec inert: no script, handler, javascript: link, SVG or iframe survives, and no payload runs', async () => {
    await page.evaluate(() => void ((globalThis as unknown as InPage).location.hash = '#spec/specs/notes/hostile.md'));
    const body = page.locator('#view-spec .markdown');
    await expect(body.locator('h1').textContent()).resolves.toBe('Hostile notes');
    const found = await body.evaluate((el) => ({
      elements: [...el.querySelectorAll('script, iframe, svg, img, object, embed')].map((e) => e.tagName),
      handlers: [...el.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      hrefs: [...el.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
    }));
    expect(found.elements).toEqual([]);
    expect(found.handlers).toEqual([]);
    expect(found.hrefs.filter((h) => /^\s*(javascript|data):/i.test(h ?? ''))).toEqual([]);
    // The raw HTML is shown as text, not dropped.
    await expect(body.textContent()).resolves.toContain('<script>window.pwned');
    await page.waitForTimeout(200);
    await expect(page.evaluate(() => (globalThis as unknown as InPage).pwned ?? null)).resolves.toBeNull();
    // A link to another spec is an in-page route.
    await body.locator('a', { hasText: 'the definitions' }).click();
    await expect(page.locator('#view-spec .markdown h1').textContent()).resolves.toBe('Variables of the wage panel');
    shots.push(await screenshot(page, 'dashboard', 'hostile-spec'));
  });

  it('made no network request and raised no script or CSP error', () => {
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
  });
});
