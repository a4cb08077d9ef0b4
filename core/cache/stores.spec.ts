import { randomBytes } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoInstalled, startMoto, useFakeAwsEnv, type Moto } from '../../e2e/support/moto';
import { sha256 } from '../hash/sha256';
import { DirectoryStore } from './dir-store';
import { CacheStoreError } from './errors';
import { S3Store } from './s3-store';
import type { CacheStore } from './store';

/**
 * One contract, two stores: the directory store on a temp folder and the S3
 * store against a real S3 API (moto, e2e/support/moto.ts).
 */
const BUCKET = 'specthis-stores';
let moto: Moto | undefined;
let restoreEnv: () => void = () => {};
const temps: string[] = [];
const temp = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `specthis-${name}-`));
  temps.push(dir);
  return dir;
};
const hasMoto = motoInstalled();
if (!hasMoto) console.warn('stores.spec: moto is not installed (python3 -c "import moto"); the S3 store tests are skipped');

beforeAll(async () => {
  restoreEnv = useFakeAwsEnv();
  if (hasMoto) moto = await startMoto([BUCKET]);
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  restoreEnv();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

let prefixes = 0;
const makers: [string, () => CacheStore][] = [
  ['directory', () => new DirectoryStore(temp('dir-store'))],
  ...(hasMoto
    ? ([['s3', () => new S3Store(BUCKET, `p${++prefixes}/x`, { endpoint: moto?.endpoint })]] as [string, () => CacheStore][])
    : []),
];

describe.each(makers)('%s store', (_kind, make) => {
  let store: CacheStore;
  let work: string;
  beforeEach(() => {
    store = make();
    work = temp('work');
  });
  afterEach(() => store.close());

  it('puts, has, gets, lists and deletes', async () => {
    expect(await store.has('cache/a/x.bin')).toBe(false);
    expect(await store.getBytes('cache/a/x.bin', 100)).toBeUndefined();
    expect(await store.getToFile('cache/a/x.bin', join(work, 'x'), 100)).toBeUndefined();
    expect(await store.putBytes('cache/a/x.bin', Buffer.from('hello'))).toBe('stored');
    const src = join(work, 'src');
    writeFileSync(src, 'from a file');
    expect(await store.putFile('cache/b/y.bin', src)).toBe('stored');
    expect(await store.putBytes('nx/0123', new Uint8Array([1, 2, 3]))).toBe('stored');
    expect(await store.has('cache/a/x.bin')).toBe(true);
    expect((await store.getBytes('cache/a/x.bin', 5))?.toString()).toBe('hello');
    expect(await store.getToFile('cache/b/y.bin', join(work, 'y'), 1000)).toEqual({ size: 11, sha256: sha256('from a file') });
    expect(readFileSync(join(work, 'y'), 'utf8')).toBe('from a file');

    const listed = await store.list('cache/');
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['cache/a/x.bin', 5],
      ['cache/b/y.bin', 11],
    ]);
    expect(Date.parse(listed[0].lastModified)).toBeGreaterThan(Date.now() - 600_000);
    expect((await store.list('')).map((o) => o.key)).toEqual(['cache/a/x.bin', 'cache/b/y.bin', 'nx/0123']);
    expect((await store.list('cache/a')).map((o) => o.key)).toEqual(['cache/a/x.bin']);

    await store.delete('cache/a/x.bin');
    await store.delete('cache/a/x.bin'); // absent is fine
    expect(await store.has('cache/a/x.bin')).toBe(false);
    expect((await store.list('cache/')).map((o) => o.key)).toEqual(['cache/b/y.bin']);
  });

  it('never overwrites: a second put of a key answers exists and the first bytes stay', async () => {
    expect(await store.putBytes('cache/k', Buffer.from('first'))).toBe('stored');
    expect(await store.putBytes('cache/k', Buffer.from('second'))).toBe('exists');
    const src = join(work, 'src');
    writeFileSync(src, 'third');
    expect(await store.putFile('cache/k', src)).toBe('exists');
    expect((await store.getBytes('cache/k', 100))?.toString()).toBe('first');
  });

  it('first writer wins when two writers put one key at once', async () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    writeFileSync(a, randomBytes(256 * 1024));
    writeFileSync(b, randomBytes(256 * 1024));
    for (let round = 0; round < 5; round++) {
      const key = `cache/race/r${round}`;
      const results = await Promise.all([store.putFile(key, a), store.putFile(key, b)]);
      expect([...results].sort()).toEqual(['exists', 'stored']);
      const winner = results[0] === 'stored' ? a : b;
      expect(sha256((await store.getBytes(key, 1 << 20)) ?? '')).toBe(sha256(readFileSync(winner)));
    }
  });

  it('refuses an object larger than the caller allows, naming the store', async () => {
    await store.putBytes('cache/big', Buffer.alloc(1000));
    await expect(store.getBytes('cache/big', 999)).rejects.toMatchObject({
      category: 'too-large',
      message: expect.stringContaining(store.url),
    });
    await expect(store.getToFile('cache/big', join(work, 'big'), 10)).rejects.toMatchObject({ category: 'too-large' });
  });

  it('rejects keys that could leave the store or collide with its temporary files', async () => {
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', '.hidden', 'a/.tmp', '', 'a b']) {
      await expect(store.putBytes(key, Buffer.from('x'))).rejects.toBeInstanceOf(CacheStoreError);
      await expect(store.has(key)).rejects.toMatchObject({ category: 'config' });
    }
  });
});

describe('directory store', () => {
  it('says so when its folder is missing, and creates it only when asked', async () => {
    const dir = temp('dir-missing');
    const store = new DirectoryStore(join(dir, 'not-mounted'));
    await expect(store.has('cache/x')).rejects.toMatchObject({ category: 'no-bucket', message: expect.stringContaining('does not exist') });
    await expect(store.putBytes('cache/x', Buffer.from('x'))).rejects.toMatchObject({ category: 'no-bucket' });
    const creating = new DirectoryStore(join(dir, 'made'), { create: true });
    expect(await creating.putBytes('cache/s/x', Buffer.from('x'))).toBe('stored');
    expect(readdirSync(join(dir, 'made', 'cache', 's'))).toEqual(['x']);
  });

  it('commits with a lock folder where the file system has no hard links, still first writer wins', async () => {
    const dir = temp('dir-nolink');
    // Two store objects, as two processes on one shared folder would have.
    const stores = [new DirectoryStore(dir, { hardLinks: false }), new DirectoryStore(dir, { hardLinks: false })];
    for (let round = 0; round < 5; round++) {
      const key = `cache/k${round}`;
      const results = await Promise.all(['one', 'two', 'three', 'four'].map((v, i) => stores[i % 2].putBytes(key, Buffer.from(v))));
      expect(results.filter((r) => r === 'stored')).toHaveLength(1);
      const winner = ['one', 'two', 'three', 'four'][results.indexOf('stored')];
      expect(readFileSync(join(dir, 'cache', `k${round}`), 'utf8')).toBe(winner);
    }
    expect(readdirSync(join(dir, 'cache')).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  it('lists only regular files, skipping writers in progress', async () => {
    const dir = temp('dir-list');
    const store = new DirectoryStore(dir);
    mkdirSync(join(dir, 'cache', 's'), { recursive: true });
    writeFileSync(join(dir, 'cache', 's', 'e.tar.gz'), 'x');
    writeFileSync(join(dir, 'cache', 's', '.e.tar.gz.123.abc.tmp'), 'partial');
    await symlink('/etc/passwd', join(dir, 'cache', 's', 'link'));
    expect((await store.list('cache/')).map((o) => o.key)).toEqual(['cache/s/e.tar.gz']);
    await expect(store.getBytes('cache/s/link', 1 << 20)).rejects.toMatchObject({ category: 'corrupt' });
  });
});

(hasMoto ? describe : describe.skip)('s3 store', () => {
  it('uploads above the multipart threshold as parts; completing onto an existing key answers exists', async () => {
    const store = new S3Store(BUCKET, 'multipart', {
      endpoint: moto?.endpoint,
      multipartThresholdBytes: 5 * 1024 * 1024,
      partSizeBytes: 5 * 1024 * 1024,
    });
    try {
      const work = temp('mp');
      const a = join(work, 'a');
      const b = join(work, 'b');
      writeFileSync(a, randomBytes(11 * 1024 * 1024));
      writeFileSync(b, randomBytes(11 * 1024 * 1024));
      expect(await store.putFile('cache/big', a)).toBe('stored');
      // moto answers 412 to CompleteMultipartUpload with If-None-Match on an existing key, as S3 does.
      expect(await store.putFile('cache/big', b)).toBe('exists');
      const got = await store.getToFile('cache/big', join(work, 'got'), 12 * 1024 * 1024);
      expect(got).toEqual({ size: 11 * 1024 * 1024, sha256: sha256(readFileSync(a)) });
      // Two concurrent completes: moto 5.2.1 checks If-None-Match before it assembles the parts, without a lock,
      // so both may answer 200 and the later bytes stay (AWS S3 answers 412 or 409 to one). What must hold
      // everywhere: at least one writer stored, and the object is one of the two files whole, never a mix.
      const race = await Promise.all([store.putFile('cache/race', a), store.putFile('cache/race', b)]);
      expect(race).toContain('stored');
      const raced = await store.getToFile('cache/race', join(work, 'raced'), 12 * 1024 * 1024);
      expect([sha256(readFileSync(a)), sha256(readFileSync(b))]).toContain(raced?.sha256);
    } finally {
      store.close();
    }
  });

  it('says the bucket does not exist, for a read and for a write', async () => {
    const store = new S3Store('no-such-bucket-here', 'p', { endpoint: moto?.endpoint });
    try {
      for (const call of [
        () => store.has('cache/x'),
        () => store.getBytes('cache/x', 10),
        () => store.putBytes('cache/x', Buffer.from('x')),
      ]) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ category: 'no-bucket' });
        expect((error as Error).message).toMatch(
          /^cache s3:\/\/no-such-bucket-here\/p: bucket "no-such-bucket-here" does not exist at http:\/\/127\.0\.0\.1:\d+; create it or fix the cache URL$/,
        );
      }
    } finally {
      store.close();
    }
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_S3 and refuses a malformed one', () => {
    const store = new S3Store(BUCKET, '', { env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_ENDPOINT_URL: 'http://other' } });
    expect(store.endpoint).toBe('http://127.0.0.1:9');
    expect(store.url).toBe(`s3://${BUCKET}`);
    store.close();
    expect(() => new S3Store(BUCKET, '', { endpoint: 'localhost:9000' })).toThrow(
      /endpoint "localhost:9000" is not an http:\/\/ or https:\/\/ URL/,
    );
  });
});
