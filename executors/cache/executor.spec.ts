import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devNull, PIPELINE, TempWorkspace } from '../../core/run/__fixtures__/workspace';
import { runEntry } from '../../core/run/run-entry';
import { loadWorkspace } from '../../core/workspace/load';
import { cacheRequest, cacheWith } from './executor';

jest.setTimeout(60_000);

let store: string;
let out: string;
let err: string;
const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
const workspaces: TempWorkspace[] = [];
const nxJson = (cache: object) => ({ plugins: [{ plugin: '@specthis/nx', options: { cache } }] });

beforeEach(() => {
  out = err = '';
  store = mkdtempSync(join(tmpdir(), 'specthis-cache-exec-'));
});
afterEach(() => {
  workspaces.splice(0).forEach((w) => w.cleanup());
  rmSync(store, { recursive: true, force: true });
});

describe('cache executor', () => {
  it('reads its options as one request, refusing the wrong ones with what right looks like', () => {
    expect(cacheRequest({})).toEqual({ action: 'status', json: false });
    expect(cacheRequest({ action: 'push' })).toEqual({ action: 'push', entries: 'all' });
    expect(cacheRequest({ action: 'fetch', entries: ['a', 'b'] })).toEqual({ action: 'fetch', entries: ['a', 'b'] });
    expect(cacheRequest({ action: 'has', entries: ['fit'] })).toEqual({ action: 'has', entry: 'fit' });
    expect(cacheRequest({ action: 'has' })).toBe('--action=has needs the entry: --entries=<name>');
    expect(cacheRequest({ action: 'status', entries: ['a', 'b'] })).toMatch(/takes one entry .*got 2: a, b/);
    expect(cacheRequest({ action: 'prune' })).toMatch(/--olderThan=<days>/);
    expect(cacheRequest({ action: 'prune', olderThan: 7 })).toEqual({ action: 'prune', olderThanDays: 7 });
    expect(cacheRequest({ action: 'nope' as never })).toMatch(/^--action must be one of status, push/);
  });

  it('pushes what one workspace ran and fetches it into another, failing only where the CLI exits 1', async () => {
    const a = new TempWorkspace(PIPELINE);
    const b = new TempWorkspace(PIPELINE);
    workspaces.push(a, b);
    for (const name of ['clean', 'fit'])
      await runEntry(a.root, loadWorkspace(a.root, { specsDir: 'specs' }), name, {
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        stdout: devNull(),
        stderr: devNull(),
        env: {},
      });
    const context = (ws: TempWorkspace) => ({ root: ws.root, nxJsonConfiguration: nxJson({ url: `file://${store}` }) });
    expect(await cacheWith({ action: 'has', entries: ['fit'] }, context(a), io)).toEqual({ success: false });
    expect(await cacheWith({ action: 'push' }, context(a), io)).toEqual({ success: true });
    expect(out).toMatch(/^pushed +fit: pushed 1 file$/m);
    out = '';
    expect(await cacheWith({ action: 'status', json: true }, context(b), io)).toEqual({ success: true });
    const rows = JSON.parse(out).entries.map((r: { entry: string; action: string }) => [r.entry, r.action]);
    expect(rows).toEqual([
      ['clean', 'fetch'],
      ['fit', 'fetch'],
      ['todo', 'refuse'],
    ]);
    out = '';
    expect(await cacheWith({ action: 'fetch', entries: ['clean', 'fit'] }, context(b), io)).toEqual({ success: true });
    expect(out).toMatch(/^fetched +fit: fetched 1 file, verified$/m);
    expect(b.read('results/compute-fit-fit/estimates.json')).toBe(a.read('results/compute-fit-fit/estimates.json'));
    expect(err).toBe('');
  });

  it('says in one line when no cache is configured, the option is wrong, or the store is not there', async () => {
    const ws = new TempWorkspace(PIPELINE);
    workspaces.push(ws);
    expect(await cacheWith({ action: 'list' }, { root: ws.root, nxJsonConfiguration: {} }, io)).toEqual({ success: false });
    expect(err).toMatch(/^specthis cache: no results cache is configured; set the plugin option "cache" in nx.json/);
    err = '';
    expect(await cacheWith({ action: 'list' }, { root: ws.root, nxJsonConfiguration: nxJson({ url: 42 }) }, io)).toEqual({
      success: false,
    });
    expect(err).toMatch(/nx\.json/);
    expect(err).toMatch(/cache\.url/);
    err = '';
    const gone = join(store, 'not-there');
    expect(await cacheWith({ action: 'list' }, { root: ws.root, nxJsonConfiguration: nxJson({ url: `file://${gone}` }) }, io)).toEqual({
      success: false,
    });
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(gone);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
