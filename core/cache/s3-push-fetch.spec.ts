import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoInstalled, startMoto, useFakeAwsEnv, type Moto } from '../../e2e/support/moto';
import { ENTRY, realizedWorkspace, ROOTS, SIGNATURE, snapshot } from '../../e2e/support/realized-entry';
import { readReceipt } from '../receipts/receipt';
import { hasEntry, listEntries, pruneOlderThan } from './entries';
import { fetchEntry } from './fetch';
import { archiveKey, manifestKey } from './keys';
import { openStore } from './open';
import { pushEntry } from './push';
import { parseCacheUrl } from '../workspace/cache-url';
import type { CacheStore } from './store';

/** The whole push -> fetch round trip against a real S3 API (moto), through the URL parser and openStore as the CLI will. */
const BUCKET = 'specthis-roundtrip';
const hasMoto = motoInstalled();
if (!hasMoto) console.warn('s3-push-fetch.spec: moto is not installed (python3 -c "import moto"); skipped');
let moto: Moto;
let restoreEnv: () => void;
let sandbox: string;

(hasMoto ? describe : describe.skip)('push and fetch through S3 (moto)', () => {
  beforeAll(async () => {
    restoreEnv = useFakeAwsEnv();
    moto = await startMoto([BUCKET]);
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    restoreEnv?.();
  });
  beforeEach(() => (sandbox = mkdtempSync(join(tmpdir(), 'specthis-s3-'))));
  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  const open = (prefix: string, s3: object = {}): CacheStore => {
    const parsed = parseCacheUrl(`s3://${BUCKET}/${prefix}`, sandbox);
    if (!parsed.ok) throw new Error(parsed.problem);
    return openStore(parsed.location, { s3: { endpoint: moto.endpoint, ...s3 } });
  };

  it.each([
    ['one PutObject', 'small', {}, {}],
    // 11 MiB of incompressible sidecar with a 5 MiB threshold and parts: the archive goes up as a multipart upload.
    [
      'a multipart upload',
      'multipart',
      { multipartThresholdBytes: 5 << 20, partSizeBytes: 5 << 20 },
      { 'blob.bin': randomBytes(11 << 20) },
    ],
  ])(
    'round-trips an entry with %s',
    async (_name, prefix, s3, extra) => {
      const store = open(prefix, s3);
      try {
        const ci = realizedWorkspace(sandbox, 'ci', { extra });
        const pushed = await pushEntry({
          root: ci.root,
          store,
          entry: ENTRY,
          signature: SIGNATURE,
          receipt: ci.receipt,
          roots: ROOTS,
          toolVersion: '0.1.0',
        });
        expect(pushed).toMatchObject({ status: 'pushed' });
        expect(await hasEntry(store, SIGNATURE, ENTRY)).toBe(true);
        expect(
          await pushEntry({
            root: ci.root,
            store,
            entry: ENTRY,
            signature: SIGNATURE,
            receipt: ci.receipt,
            roots: ROOTS,
            toolVersion: '0.1.0',
          }),
        ).toEqual({
          status: 'exists',
        });
        expect((await store.list('')).map((o) => o.key)).toEqual([manifestKey(SIGNATURE, ENTRY), archiveKey(SIGNATURE, ENTRY)]);

        const laptop = realizedWorkspace(sandbox, 'laptop', { estimate: '0.1' });
        const fetched = await fetchEntry({ root: laptop.root, store, entry: ENTRY, signature: SIGNATURE, roots: ROOTS });
        expect(fetched).toMatchObject({ status: 'fetched' });
        expect(snapshot(join(laptop.root, 'results'))).toEqual(snapshot(join(ci.root, 'results')));
        expect(readReceipt(laptop.root, ENTRY)?.source).toMatchObject({ cache: `s3://${BUCKET}/${prefix}` });
        expect(readdirSync(join(laptop.root, '.specthis'))).toEqual(['receipts']);

        expect((await listEntries(store)).map((e) => [e.entry, e.complete])).toEqual([[ENTRY, true]]);
        expect((await pruneOlderThan(store, 0, new Date(Date.now() + 60_000))).deleted).toHaveLength(1);
        expect(await store.list('')).toEqual([]);
      } finally {
        store.close();
      }
    },
    60_000,
  );
});
