/**
 * bench/dashboard.js, part (b): how long specs.html, opened from file:// in
 * headless Chromium (the system one, through playwright-core), takes to become
 * interactive.
 *
 * INTERACTIVE, precisely: performance.now() (0 = navigation start) at the
 * first moment when the entries view is visible and its table (#entry-rows)
 * holds rows that all match a filter typed into the filter box
 * (#table-filter) the moment the first rows appeared. A MutationObserver,
 * installed before any page script runs, watches for the first rows, types
 * the filter then (value + an `input` event), and stamps the time the rows
 * are narrowed. So it includes parsing the embedded data, drawing the first
 * rows, the page's 120 ms input debounce, and filtering all 5,000 entries.
 * `rows` (first rows visible) and `routed` (the page set
 * `<html data-ready="1">`: its first route is drawn) are reported beside it.
 *
 * SPEC PAGE: then, in the same page, the time from setting the URL hash to
 * the longest spec's page drawn with its Markdown rendered (the page renders
 * a body with remark + rehype-sanitize when its page is first opened).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const CHROMIUM = process.env.SPECTHIS_CHROMIUM || '/usr/bin/chromium';
// Without the background-networking switches Chromium hangs on this closed network's refused connections.
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
/** One entry of the generated workspace, far down the default (by spec) order. */
const NEEDLE = 'a42-03-e1';

/** Runs in the page before its own script (playwright addInitScript). */
function probe(needle) {
  const b = (window.__bench = { rows: null, routed: null, ready: null, firstRows: 0, narrowed: 0 });
  const check = () => {
    if (b.routed === null && document.documentElement.dataset.ready === '1') b.routed = performance.now();
    const body = document.getElementById('entry-rows');
    const filter = document.getElementById('table-filter');
    const view = document.getElementById('view-entries');
    if (!body || !filter || !view || view.hidden || !body.rows.length) return;
    if (b.rows === null) {
      b.rows = performance.now();
      b.firstRows = body.rows.length;
      filter.value = needle;
      filter.dispatchEvent(new Event('input', { bubbles: true }));
      return;
    }
    if (Array.prototype.every.call(body.rows, (r) => r.textContent.toLowerCase().includes(needle))) {
      b.ready = performance.now();
      b.narrowed = body.rows.length;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'data-ready'] });
}

/** Runs in the page: opens the spec with the longest body, resolves with how long drawing its page took. */
function openLongestSpec() {
  const specs = JSON.parse(document.getElementById('specthis-data').textContent).specs;
  const longest = specs.reduce((a, b) => ((b.markdown || '').length > (a.markdown || '').length ? b : a));
  return new Promise((resolve) => {
    const start = performance.now();
    // Registered after the page's own listener, so it runs once the page has drawn the route.
    window.addEventListener(
      'hashchange',
      () =>
        resolve({
          ms: performance.now() - start,
          file: longest.file,
          chars: longest.markdown.length,
          rendered: !!document.querySelector('#view-spec .markdown h1'),
        }),
      { once: true },
    );
    location.hash = `#spec/${longest.file}`;
  });
}

async function measureInteractive(pageFile, loads) {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
  });
  try {
    await context.addInitScript(probe, NEEDLE);
    const url = pathToFileURL(pageFile).href;
    const runs = [];
    let last;
    for (let n = 0; n < loads; n++) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
      await page.waitForFunction(
        () => document.documentElement.dataset.ready === '1' && window.__bench && window.__bench.ready !== null,
        null,
        { timeout: 120_000, polling: 50 },
      );
      last = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          ...window.__bench,
          dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd,
          entries: JSON.parse(document.getElementById('specthis-data').textContent).entries.length,
        };
      });
      last.specPage = await page.evaluate(openLongestSpec);
      runs.push(last);
      await page.close();
    }
    return { runs, needle: NEEDLE, rows: last.firstRows, narrowed: last.narrowed, entries: last.entries };
  } finally {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

module.exports = { measureInteractive, NEEDLE };
