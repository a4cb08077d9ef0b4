import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace } from '../workspace/load';
import { devNull, PIPELINE, TempWorkspace } from './__fixtures__/workspace';
import { runEntry } from './run-entry';

jest.setTimeout(60_000);

/**
 * The results cache inside the run, on a directory store: one workspace runs
 * and pushes, a second with the same files fetches instead of running, and a
 * cache that misbehaves only ever means the entry runs here.
 */
let store: string;
const workspaces: TempWorkspace[] = [];
let lines: string[];
const log = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => (/ was never certified /.test(m) ? undefined : lines.push(`warn ${m}`)),
  error: (m: string) => lines.push(`error ${m}`),
};
const fresh = () => {
  const ws = new TempWorkspace(PIPELINE);
  workspaces.push(ws);
  return ws;
};
const run = (ws: TempWorkspace, name: string, env: NodeJS.ProcessEnv = {}) =>
  runEntry(ws.root, loadWorkspace(ws.root, { specsDir: 'specs', cache: { url: `file://${store}`, read: true, write: true } }), name, {
    log,
    stdout: devNull(),
    stderr: devNull(),
    env: { ...env, NX_INVOCATION_ANCESTOR_PIDS: env.NX_INVOCATION_ANCESTOR_PIDS ?? String(Math.random()).slice(2) },
  });
const ran = (ws: TempWorkspace, name: string) => existsSync(join(ws.root, '.specthis/logs', `${name}.log`));
const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]))
    : [];

beforeEach(() => {
  lines = [];
  store = mkdtempSync(join(tmpdir(), 'specthis-run-cache-'));
});
afterEach(() => {
  workspaces.splice(0).forEach((w) => w.cleanup());
  rmSync(store, { recursive: true, force: true });
});

describe('runEntry with a results cache', () => {
  it('pushes after a run, and a second workspace fetches instead of running, upstream signatures and all', async () => {
    const a = fresh();
    expect(await run(a, 'clean')).toMatchObject({ outcome: 'ran' });
    expect(await run(a, 'fit')).toMatchObject({ outcome: 'ran' });
    expect(lines.filter((l) => l.includes('pushed to'))).toHaveLength(2);
    const b = fresh();
    lines = [];
    expect(await run(b, 'clean')).toMatchObject({ success: true, outcome: 'fetched' });
    // fit's signature holds clean's receipt digest: the fetched receipt gives the one the pushing machine had.
    expect(await run(b, 'fit')).toMatchObject({ success: true, outcome: 'fetched' });
    expect(ran(b, 'clean') || ran(b, 'fit')).toBe(false);
    expect(lines.filter((l) => l.startsWith('info') && l.includes('fetched from'))).toHaveLength(2);
    for (const f of [
      'results/compute-clean-clean/panel.json',
      'results/compute-clean-clean/rows.csv',
      'results/compute-fit-fit/estimates.json',
    ]) {
      expect(readFileSync(join(b.root, f))).toEqual(readFileSync(join(a.root, f)));
    }
    const receipt = JSON.parse(b.read('.specthis/receipts/fit.json'));
    expect(receipt.source).toMatchObject({ cache: `file://${store}`, archivedBy: expect.any(String), archivedAt: expect.any(String) });
    lines = [];
    expect(await run(b, 'fit')).toMatchObject({ outcome: 'fresh' });
  });

  it('runs here when an archive was tampered with, says why, and leaves the outputs it makes', async () => {
    const a = fresh();
    await run(a, 'clean');
    const archive = files(store).find((f) => f.endsWith('.tar.gz'))!;
    const bytes = readFileSync(archive);
    bytes[bytes.length - 40] ^= 0xff;
    writeFileSync(archive, bytes);
    const b = fresh();
    lines = [];
    expect(await run(b, 'clean')).toMatchObject({ success: true, outcome: 'ran' });
    expect(lines.find((l) => l.startsWith('warn'))).toMatch(/clean not fetched: .*sha256.*; the entry runs here$/i);
  });

  it('says once per run that the cache cannot be used, then skips it quietly; the entries run here', async () => {
    const a = fresh();
    // A file where the store's directory should be: every call to it fails the same way.
    writeFileSync(join(store, 'cache'), 'not a directory');
    const env = { NX_INVOCATION_ANCESTOR_PIDS: '4242,4243' };
    expect(await run(a, 'clean', env)).toMatchObject({ success: true, outcome: 'ran' });
    expect(await run(a, 'fit', env)).toMatchObject({ success: true, outcome: 'ran' });
    const warnings = lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the results cache is skipped for the rest of this run, and entries run here$/);
    // Another run tries again, and says so again.
    lines = [];
    a.remove('.specthis/receipts');
    await run(a, 'clean', { NX_INVOCATION_ANCESTOR_PIDS: '5151' });
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
  });

  it('reads and writes as SPECTHIS_CACHE_READ and SPECTHIS_CACHE_WRITE say', async () => {
    const a = fresh();
    await run(a, 'clean', { SPECTHIS_CACHE_WRITE: '0' });
    expect(files(store)).toEqual([]);
    await run(a, 'clean', { SPECTHIS_CACHE_WRITE: '1' });
    a.remove('.specthis/receipts');
    await run(a, 'clean');
    expect(files(store).some((f) => f.endsWith('.manifest.json'))).toBe(true);
    const b = fresh();
    expect(await run(b, 'clean', { SPECTHIS_CACHE_READ: '0' })).toMatchObject({ outcome: 'ran' });
  });
});
