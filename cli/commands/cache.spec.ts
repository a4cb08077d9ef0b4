import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devNull, PIPELINE, TempWorkspace } from '../../core/run/__fixtures__/workspace';
import { runEntry } from '../../core/run/run-entry';
import { loadWorkspace } from '../../core/workspace/load';
import { dataOf } from '../../core/dashboard/__fixtures__/workspace';
import { buildDashboard } from '../../core/dashboard/index';
import { EXIT } from '../exit';
import { runCli } from '../test-io';

jest.setTimeout(60_000);

/**
 * `specthis cache` over a directory store: one workspace runs and pushes, a
 * second (the same files, nothing run) sees what a run would do, fetches, and
 * is then fresh with the outputs' source named.
 */
let store: string;
const workspaces: TempWorkspace[] = [];
const workspace = (cache: object = { url: `file://${store}` }) => {
  const ws = new TempWorkspace({
    ...PIPELINE,
    'nx.json': JSON.stringify({ plugins: [{ plugin: '@specthis/nx', options: { cache } }] }),
  });
  workspaces.push(ws);
  return ws;
};
const runHere = (ws: TempWorkspace, name: string) =>
  runEntry(ws.root, loadWorkspace(ws.root, { specsDir: 'specs' }), name, {
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    stdout: devNull(),
    stderr: devNull(),
    env: {},
  });
const rows = async (ws: TempWorkspace) => {
  const r = await runCli(ws.root, 'cache', 'status', '--json');
  expect(r).toMatchObject({ code: EXIT.ok, stderr: '' });
  return Object.fromEntries(
    (JSON.parse(r.stdout).entries as { entry: string; action: string; cached: boolean; source?: object }[]).map((e) => [e.entry, e]),
  );
};

beforeEach(() => {
  store = mkdtempSync(join(tmpdir(), 'specthis-cli-cache-'));
});
afterEach(() => {
  workspaces.splice(0).forEach((w) => w.cleanup());
  rmSync(store, { recursive: true, force: true });
});

describe('specthis cache', () => {
  it('pushes fresh entries, and a second workspace sees, fetches and is fresh from the cache', async () => {
    const a = workspace();
    expect(await rows(a)).toMatchObject({
      clean: { action: 'run', cached: false },
      fit: { action: 'run', cached: false },
      todo: { action: 'refuse' },
    });
    // Nothing is fresh yet: push skips each, saying why, and fails nothing.
    const early = await runCli(a.root, 'cache', 'push', 'clean');
    expect(early).toMatchObject({ code: EXIT.ok });
    expect(early.stdout).toMatch(/^skipped +clean is missing, not fresh: run it first\n$/);

    await runHere(a, 'clean');
    await runHere(a, 'fit');
    const push = await runCli(a.root, 'cache', 'push', '--all');
    expect(push.code).toBe(EXIT.ok);
    expect(push.stdout).toMatch(/^pushed +clean: pushed 2 files$/m);
    expect(push.stdout).toMatch(/^pushed +fit: pushed 1 file$/m);
    expect(push.stdout).toMatch(/^skipped +todo is script TBD/m);
    expect((await runCli(a.root, 'cache', 'push', 'fit')).stdout).toMatch(/^exists +fit: already in the cache\n$/);

    const b = workspace();
    expect(await rows(b)).toMatchObject({ clean: { action: 'fetch', cached: true }, fit: { action: 'fetch', cached: true } });
    expect((await runCli(b.root, 'cache', 'has', 'fit')).code).toBe(EXIT.ok);
    const fetched = await runCli(b.root, 'cache', 'fetch', '--all');
    expect(fetched.code).toBe(EXIT.ok);
    expect(fetched.stdout).toMatch(/^fetched +clean: fetched 2 files, verified$/m);
    expect(fetched.stdout).toMatch(/^fetched +fit: fetched 1 file, verified$/m);
    expect(existsSync(join(b.root, '.specthis/logs/clean.log'))).toBe(false);
    expect(readFileSync(join(b.root, 'results/compute-fit-fit/estimates.json'))).toEqual(
      readFileSync(join(a.root, 'results/compute-fit-fit/estimates.json')),
    );
    const after = await rows(b);
    expect(after.fit).toMatchObject({ action: 'skip', source: { cache: `file://${store}` } });
    const table = await runCli(b.root, 'cache', 'status');
    expect(table.stdout).toMatch(/^fit +fresh +[0-9a-f]{12} +yes +skip +fresh \(from file:\/\/.*, pushed by .+\)$/m);
    expect(table.stdout).toMatch(/^3 entries: 0 to fetch, 0 to run, 2 fresh, 1 refused$/m);

    // specthis status and the dashboard say where the outputs came from.
    const status = await runCli(b.root, 'status');
    expect(status.stdout).toMatch(
      /^fit +unbound +fresh +receipt matches inputs and 1 output file; fetched from file:\/\/\S+ \(pushed by \S+ at \d{4}-/m,
    );
    expect((await runCli(b.root, 'status', 'fit')).stdout).toMatch(/^  outputs from   fetched from file:\/\//m);
    const view = JSON.parse((await runCli(b.root, 'status', 'fit', '--json')).stdout).entries[0];
    expect(view.source).toEqual({ cache: `file://${store}`, archivedBy: expect.any(String), archivedAt: expect.stringMatching(/^\d{4}-/) });
    expect(JSON.parse((await runCli(a.root, 'status', 'fit', '--json')).stdout).entries[0].source).toBeNull();
    const page = dataOf(buildDashboard(b.root).html).entries.find((e) => e.name === 'fit');
    expect(page?.receipt?.source).toEqual(view.source);

    // An edit to fit's workflow file moves its signature: the cache no longer has it under the new one.
    b.write('config/fit.json', '{"alpha": 0.01}\n');
    expect((await runCli(b.root, 'cache', 'has', 'fit')).code).toBe(EXIT.findings);
    expect((await rows(b)).fit).toMatchObject({ action: 'run', cached: false });

    const list = JSON.parse((await runCli(b.root, 'cache', 'list', '--json')).stdout).entries as { entry: string; complete: boolean }[];
    expect(list.map((e) => [e.entry, e.complete]).sort()).toEqual([
      ['clean', true],
      ['fit', true],
    ]);
    expect((await runCli(b.root, 'cache', 'prune', '--older-than', '0')).stdout).toBe(
      'pruned 2 entries pushed more than 0 days ago; 0 kept\n',
    );
    expect((await runCli(b.root, 'cache', 'list')).stdout).toBe('the cache holds no entry\n');
  });

  it('sees a downstream entry waiting on an upstream one that must run first', async () => {
    const a = workspace();
    await runHere(a, 'clean');
    await runHere(a, 'fit');
    expect((await runCli(a.root, 'cache', 'push', 'fit')).code).toBe(EXIT.ok);
    const b = workspace();
    expect(await rows(b)).toMatchObject({
      clean: { action: 'run', cached: false },
      fit: { action: 'run', why: 'waits on clean, which runs first: its outputs decide this signature' },
    });
    // Asked about fit alone, the answer is the same: its upstream is decided, not shown.
    const one = JSON.parse((await runCli(b.root, 'cache', 'status', 'fit', '--json')).stdout).entries;
    expect(one.map((r: { entry: string; action: string }) => [r.entry, r.action])).toEqual([['fit', 'run']]);
  });

  it('says what right looks like for bad usage and an unconfigured or badly configured cache', async () => {
    const ws = workspace();
    expect(await runCli(ws.root, 'cache')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/expected status, push, fetch/),
    });
    expect((await runCli(ws.root, 'cache', 'push')).stderr).toMatch(/name the entries, or pass --all/);
    expect((await runCli(ws.root, 'cache', 'status', 'nope')).stderr).toMatch(/no entry "nope" in specs\//);
    expect((await runCli(ws.root, 'cache', 'prune', '--older-than', 'soon')).stderr).toMatch(/--older-than takes a number of days/);
    const none = new TempWorkspace(PIPELINE);
    workspaces.push(none);
    const r = await runCli(none.root, 'cache', 'list');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/no results cache is configured; set the plugin option "cache" in nx.json/);
    const bad = workspace({ url: 'ftp://host/x' });
    const b = await runCli(bad.root, 'cache', 'list');
    expect(b.code).toBe(EXIT.workspace);
    expect(b.stderr).toMatch(/nx.json/);
    expect(b.stderr).not.toMatch(/\n\s+at /);
    const gone = workspace({ url: `file://${join(store, 'not-there')}` });
    const g = await runCli(gone.root, 'cache', 'status');
    expect(g.code).toBe(EXIT.findings);
    expect(g.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^specthis: cache file:\/\/.*not-there: /)]);
  });
});
