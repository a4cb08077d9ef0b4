import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { sha256 } from '../hash/sha256';
import { canonicalJson } from '../fs/canonical-json';
import { readReceipt, type Receipt } from '../receipts/receipt';
import { ENTRY, realizedWorkspace, ROOTS, SIGNATURE, snapshot } from '../../e2e/support/realized-entry';
import { DirectoryStore } from './dir-store';
import { hasEntry, listEntries, pruneOlderThan } from './entries';
import { fetchEntry } from './fetch';
import { archiveKey, manifestKey } from './keys';
import type { Manifest } from './manifest';
import { pushEntry } from './push';

const SIG = SIGNATURE;

let sandbox: string;
let storeDir: string;
let store: DirectoryStore;
beforeEach(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'specthis-cache-'));
  storeDir = join(sandbox, 'store');
  mkdirSync(storeDir);
  store = new DirectoryStore(storeDir);
});
afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

const workspace = (name: string, estimate?: string) => realizedWorkspace(sandbox, name, { estimate });

const push = (root: string, receipt: Receipt, extra: Partial<Parameters<typeof pushEntry>[0]> = {}) =>
  pushEntry({ root, store, entry: ENTRY, signature: SIG, receipt, roots: ROOTS, toolVersion: '0.1.0', host: 'ci-runner', ...extra });
const fetch = (root: string) => fetchEntry({ root, store, entry: ENTRY, signature: SIG, roots: ROOTS });

describe('pushEntry and fetchEntry through a directory store', () => {
  it('round-trip: the fetched outputs and receipt are the pushed ones, with the cache as source', async () => {
    const ci = workspace('ci');
    const pushed = await push(ci.root, ci.receipt);
    expect(pushed).toMatchObject({ status: 'pushed', files: 3 });
    expect(await hasEntry(store, SIG, ENTRY)).toBe(true);
    expect(readdirSync(join(ci.root, '.specthis'))).toEqual(['receipts']); // staging cleaned up

    const manifest = JSON.parse(readFileSync(join(storeDir, ...manifestKey(SIG, ENTRY).split('/')), 'utf8')) as Manifest;
    expect(readFileSync(join(storeDir, ...manifestKey(SIG, ENTRY).split('/')), 'utf8')).toBe(canonicalJson(manifest));
    expect(manifest).toMatchObject({
      format: 'specthis-cache/1',
      entry: ENTRY,
      signature: SIG,
      roots: ROOTS,
      toolVersion: '0.1.0',
      host: 'ci-runner',
    });
    expect(manifest.archive.sha256).toBe(sha256(readFileSync(join(storeDir, ...archiveKey(SIG, ENTRY).split('/')))));
    expect(manifest.directories).toEqual(['results/compute-fit', 'results/compute-fit/sidecar']);

    const laptop = workspace('laptop', '9.9'); // stale outputs of another run, to be replaced
    rmSync(join(laptop.root, '.specthis'), { recursive: true });
    writeFileSync(join(laptop.root, 'results/compute-fit/leftover.json'), '{}');
    const fetched = await fetch(laptop.root);
    expect(fetched).toMatchObject({ status: 'fetched', files: 3 });
    const ciFiles = snapshot(join(ci.root, 'results'));
    expect(snapshot(join(laptop.root, 'results'))).toEqual(ciFiles); // leftover.json gone with the old root
    expect(readFileSync(join(laptop.root, 'reports/tables/fit.tex'), 'utf8')).toBe(
      readFileSync(join(ci.root, 'reports/tables/fit.tex'), 'utf8'),
    );
    const receipt = readReceipt(laptop.root, ENTRY);
    expect(receipt).toEqual({ ...ci.receipt, source: { cache: store.url, archivedBy: 'ci-runner', archivedAt: manifest.createdAt } });
    expect(readdirSync(join(laptop.root, '.specthis'))).toEqual(['receipts']);
  });

  it('a second push answers exists; two concurrent pushes store one entry', async () => {
    const a = workspace('a');
    const b = workspace('b', '2.5'); // the same entry realized with other bytes
    const results = await Promise.all([push(a.root, a.receipt), push(b.root, b.receipt)]);
    // The loser finds the winner's archive: `exists` once the manifest is there, `busy` while it is not yet.
    expect(results.filter((r) => r.status === 'pushed')).toHaveLength(1);
    const loser = results.find((r) => r.status !== 'pushed');
    expect(loser?.status === 'exists' || (loser?.status === 'refused' && loser.category === 'busy')).toBe(true);
    expect(await push(a.root, a.receipt)).toEqual({ status: 'exists' });
    const c = workspace('c');
    expect(await fetch(c.root)).toMatchObject({ status: 'fetched' });
  });

  it('refuses to push a symlink or outputs that changed since the receipt, naming the path', async () => {
    const ws = workspace('ws');
    symlinkSync('/etc/passwd', join(ws.root, 'results/compute-fit/passwd'));
    expect(await push(ws.root, ws.receipt)).toMatchObject({
      status: 'refused',
      category: 'outputs',
      message: `cache ${store.url}: ${ENTRY} not pushed: symlink results/compute-fit/passwd refused: the cache stores regular files and directories only; replace it with a copy of its target`,
    });
    rmSync(join(ws.root, 'results/compute-fit/passwd'));
    writeFileSync(join(ws.root, 'results/compute-fit/estimates.json'), '{"beta": 7}\n');
    expect(await push(ws.root, ws.receipt)).toMatchObject({
      status: 'refused',
      category: 'outputs',
      reason: 'results/compute-fit/estimates.json changed since its receipt was written; run it again, then push',
    });
    expect(readdirSync(storeDir)).toEqual([]);
    expect(readdirSync(join(ws.root, '.specthis'))).toEqual(['receipts']);
  });

  it('an archive left by a push that died before its manifest: busy while young, replaced once old', async () => {
    const ws = workspace('ws');
    const orphan = join(storeDir, ...archiveKey(SIG, ENTRY).split('/'));
    mkdirSync(join(orphan, '..'), { recursive: true });
    writeFileSync(orphan, 'half of a dead push');
    expect(await push(ws.root, ws.receipt)).toMatchObject({
      status: 'refused',
      category: 'busy',
      reason: expect.stringMatching(/another push of it is under way/),
    });
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(orphan, old, old);
    expect(await push(ws.root, ws.receipt)).toMatchObject({ status: 'pushed' });
    expect(await fetch(workspace('other').root)).toMatchObject({ status: 'fetched' });
  });

  it('a miss for an entry not in the cache, with a one-line message', async () => {
    const ws = workspace('ws');
    const before = snapshot(ws.root);
    expect(await fetch(ws.root)).toEqual({
      status: 'miss',
      category: 'absent',
      reason: `no cache entry for signature ${SIG.slice(0, 12)}…`,
      message: `cache ${store.url}: ${ENTRY} not fetched: no cache entry for signature ${SIG.slice(0, 12)}…`,
    });
    expect(snapshot(ws.root)).toEqual(before);
  });
});

describe('fetchEntry leaves the workspace unchanged on any failure', () => {
  /** Pushes a good entry, lets `tamper` damage the store, fetches into a workspace with outputs and a receipt of its own. */
  async function fetchAfter(tamper: (paths: { archive: string; manifest: string; m: Manifest }) => void) {
    const ci = workspace('ci');
    expect((await push(ci.root, ci.receipt)).status).toBe('pushed');
    const archive = join(storeDir, ...archiveKey(SIG, ENTRY).split('/'));
    const manifest = join(storeDir, ...manifestKey(SIG, ENTRY).split('/'));
    tamper({ archive, manifest, m: JSON.parse(readFileSync(manifest, 'utf8')) as Manifest });
    const laptop = workspace('laptop', '3.3');
    const before = snapshot(laptop.root);
    const result = await fetch(laptop.root);
    expect(snapshot(laptop.root)).toEqual(before);
    expect(result.status).toBe('miss');
    if (result.status === 'miss') expect(result.message).not.toContain('\n');
    return result;
  }
  const rewrite = (path: string, bytes: Buffer | string) => {
    chmodSync(path, 0o644);
    writeFileSync(path, bytes);
  };

  it('bytes flipped in the archive', async () => {
    const r = await fetchAfter(({ archive }) => {
      const b = readFileSync(archive);
      b[b.length >> 1] ^= 0x01;
      rewrite(archive, b);
    });
    expect(r).toMatchObject({
      category: 'corrupt',
      reason: expect.stringMatching(
        /^corrupt archive: sha256 mismatch \(cache\/a{64}\/fit-baseline\.tar\.gz\); remove file:\/\/\/\S+\/cache\/a{64}\/fit-baseline\.\* from the cache$/,
      ),
    });
  });

  it('a truncated archive', async () => {
    const r = await fetchAfter(({ archive }) => rewrite(archive, readFileSync(archive).subarray(0, 100)));
    expect(r).toMatchObject({ category: 'corrupt', reason: expect.stringMatching(/^corrupt archive: 100 bytes, its manifest says \d+/) });
  });

  it('the archive gone, the manifest still there', async () => {
    const r = await fetchAfter(({ archive }) => rmSync(archive));
    expect(r).toMatchObject({ category: 'corrupt', reason: expect.stringMatching(/is missing though its manifest is there/) });
  });

  it.each([
    ['another entry', (m: Manifest) => ({ ...m, entry: 'other' }), /^corrupt manifest .*: it is for entry "other", not fit-baseline/],
    ['another signature', (m: Manifest) => ({ ...m, signature: 'b'.repeat(64) }), /it is for signature "b{64}", not a{64}/],
    ['other roots', (m: Manifest) => ({ ...m, roots: ['results'] }), /its output roots \(results\) are not the entry's/],
    ['an unknown field', (m: Manifest) => ({ ...m, extra: 1 }), /fields unknown extra/],
    [
      'a ../ path',
      (m: Manifest) => ({ ...m, files: [{ ...m.files[0], path: '../escape' }, ...m.files.slice(1)] }),
      /file path "\.\.\/escape": "\.\." segment/,
    ],
    [
      'a receipt that is not the files',
      (m: Manifest) => ({ ...m, receipt: { ...m.receipt, outputs: m.receipt.outputs.slice(1) } }),
      /its receipt's outputs are not its files/,
    ],
    ['a setuid mode', (m: Manifest) => ({ ...m, files: m.files.map((f) => ({ ...f, mode: 0o4755 })) }), /mode 2541 is not 0o644 or 0o755/],
  ])('a manifest for %s', async (_name, change, reason) => {
    const r = await fetchAfter(({ manifest, m }) => rewrite(manifest, canonicalJson(change(m))));
    expect(r).toMatchObject({ category: 'corrupt', reason: expect.stringMatching(reason) });
  });

  it('not JSON', async () => {
    const r = await fetchAfter(({ manifest }) => rewrite(manifest, '{"format": '));
    expect(r).toMatchObject({ category: 'corrupt', reason: expect.stringMatching(/: not valid JSON;/) });
  });

  it('a hostile archive with a manifest that vouches for it', async () => {
    // A pusher with write access planting a symlink: digest and size match, the allow-list still refuses it.
    const r = await fetchAfter(({ archive, manifest, m }) => {
      const h = new Header({
        path: 'results/compute-fit/x',
        type: 'SymbolicLink',
        linkpath: '/etc/passwd',
        mode: 0o777,
        size: 0,
        mtime: new Date(0),
      });
      h.encode();
      const evil = gzipSync(Buffer.concat([h.block as Buffer, Buffer.alloc(1024)]));
      rewrite(archive, evil);
      rewrite(manifest, canonicalJson({ ...m, archive: { sha256: sha256(evil), size: evil.length } }));
    });
    expect(r).toMatchObject({
      category: 'refused',
      reason: expect.stringMatching(
        /^symlink member results\/compute-fit\/x -> \/etc\/passwd refused; specthis never writes such an archive/,
      ),
    });
  });

  it.each([
    [
      'the receipt cannot be written: both roots go back',
      (root: string) => {
        // A folder where the receipt goes: rename(2) cannot replace it, whoever runs the test (root included).
        rmSync(join(root, '.specthis/receipts/fit-baseline.json'));
        mkdirSync(join(root, '.specthis/receipts/fit-baseline.json/keep'), { recursive: true });
      },
      /^could not write the receipt \(.*\); the previous outputs were put back$/,
    ],
    [
      'the second root cannot be moved in: the first goes back',
      (root: string) => {
        rmSync(join(root, 'results'), { recursive: true });
        writeFileSync(join(root, 'results'), 'a file where the results folder would be');
      },
      /^could not move the fetched results\/compute-fit into place \(.*\); the previous outputs were put back$/,
    ],
  ])('%s', async (_name, obstruct, reason) => {
    const ci = workspace('ci');
    await push(ci.root, ci.receipt);
    const laptop = workspace('laptop', '4.4');
    obstruct(laptop.root);
    const before = snapshot(laptop.root);
    expect(await fetch(laptop.root)).toMatchObject({ status: 'miss', category: 'workspace', reason: expect.stringMatching(reason) });
    expect(snapshot(laptop.root)).toEqual(before);
  });
});

describe('listEntries and pruneOlderThan', () => {
  it('list entries from keys alone, prune by age, manifest first', async () => {
    const ws = workspace('ws');
    await push(ws.root, ws.receipt);
    const other = 'c'.repeat(64);
    await push(ws.root, { ...ws.receipt, signature: other }, { signature: other });
    // An incomplete one: an archive only.
    await store.putBytes(archiveKey('e'.repeat(64), 'half'), Buffer.from('x'));
    const listed = await listEntries(store);
    expect(listed.map((e) => [e.entry, e.signature.slice(0, 1), e.complete])).toEqual([
      [ENTRY, 'a', true],
      [ENTRY, 'c', true],
      ['half', 'e', false],
    ]);
    expect(listed[0].archiveBytes).toBe(statSync(join(storeDir, ...archiveKey(SIG, ENTRY).split('/'))).size);

    expect(await pruneOlderThan(store, 1)).toEqual({ deleted: [], kept: 3 });
    const old = new Date(Date.now() - 3 * 86_400_000);
    for (const key of [archiveKey(SIG, ENTRY), manifestKey(SIG, ENTRY), archiveKey('e'.repeat(64), 'half')]) {
      utimesSync(join(storeDir, ...key.split('/')), old, old);
    }
    const pruned = await pruneOlderThan(store, 2);
    expect(pruned.deleted.map((e) => e.entry)).toEqual([ENTRY, 'half']);
    expect(pruned.kept).toBe(1);
    expect((await listEntries(store)).map((e) => e.signature)).toEqual([other]);
    expect(readdirSync(join(storeDir, 'cache'))).toEqual([other]); // emptied signature folders go too
    await expect(pruneOlderThan(store, -1)).rejects.toThrow(RangeError);
  });
});
