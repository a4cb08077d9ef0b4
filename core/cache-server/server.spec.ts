import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DirectoryStore } from '../cache/dir-store';
import { CacheStoreError } from '../cache/errors';
import type { CacheStore } from '../cache/store';
import { call, nxArchive, raw, statuses, tarBytes } from './__fixtures__/nx-http';
import { archiveKey, recordKey } from './keys';
import { CacheServerError, startCacheServer, type CacheServerOptions, type RunningCacheServer } from './server';
import { createHash } from 'node:crypto';

jest.setTimeout(30_000);

const WRITE = 'w-0123456789abcdef0123456789abcdef';
const READ = 'r-0123456789abcdef0123456789abcdef';
const HASH = '14216986442193627258';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A store that fails on demand: `fail[op]` is an error to throw or `hang` (a promise that never settles). */
class FaultyStore implements CacheStore {
  fail: Partial<Record<'has' | 'get' | 'put', CacheStoreError | 'hang'>> = {};
  constructor(readonly inner: CacheStore) {}
  get url() {
    return this.inner.url;
  }
  private gate<T>(op: 'has' | 'get' | 'put', call: () => Promise<T>): Promise<T> {
    const f = this.fail[op];
    if (f === 'hang') return new Promise<T>(() => {});
    if (f) return Promise.reject(f);
    return call();
  }
  has(key: string) {
    return this.gate('has', () => this.inner.has(key));
  }
  getToFile(key: string, dest: string, max: number) {
    return this.gate('get', () => this.inner.getToFile(key, dest, max));
  }
  getBytes(key: string, max: number) {
    return this.gate('get', () => this.inner.getBytes(key, max));
  }
  putFile(key: string, src: string) {
    return this.gate('put', () => this.inner.putFile(key, src));
  }
  putBytes(key: string, bytes: Uint8Array) {
    return this.gate('put', () => this.inner.putBytes(key, bytes));
  }
  putStream(key: string, body: AsyncIterable<Uint8Array>) {
    return this.gate('put', () => this.inner.putStream(key, body));
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  close() {}
}

describe('the Nx cache server', () => {
  let sandbox: string;
  let dir: string;
  let store: FaultyStore;
  let server: RunningCacheServer;
  let lines: string[];
  let errors: string[];

  const start = async (options: Partial<CacheServerOptions> = {}) => {
    server = await startCacheServer({
      store,
      port: 0,
      tokens: { write: [WRITE], read: [READ] },
      log: { info: (l) => lines.push(l), error: (l) => (lines.push(l), errors.push(l)) },
      stagingDir: join(sandbox, 'staging'),
      ...options,
    });
    return server;
  };
  const put = (hash: string, body: Buffer, token = WRITE) => call(server.url, 'PUT', `/v1/cache/${hash}`, { token, body });
  const get = (hash: string, token = READ) => call(server.url, 'GET', `/v1/cache/${hash}`, { token });
  const objects = () => (existsSync(join(dir, 'nx')) ? listFiles(join(dir, 'nx')) : []);
  /** The log line of the last request, once the server wrote it (it writes when the answer has gone). */
  const lastLine = async () => {
    for (let i = 0; i < 50 && !lines.some((l) => /^specthis cache-server: (GET|PUT|HEAD|POST|DELETE) /.test(l)); i++)
      await new Promise((r) => setTimeout(r, 10));
    return lines.filter((l) => /^specthis cache-server: [A-Z]+ /.test(l)).at(-1) ?? '';
  };

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'specthis-cache-server-'));
    dir = join(sandbox, 'store');
    mkdirSync(dir);
    store = new FaultyStore(new DirectoryStore(dir));
    lines = [];
    errors = [];
  });
  afterEach(async () => {
    await server?.close();
    rmSync(sandbox, { recursive: true, force: true });
    for (const l of lines) {
      expect(l).not.toContain(WRITE);
      expect(l).not.toContain(READ);
    }
  });

  describe('GET', () => {
    it('answers 404 for a hash never stored, and says so in one line', async () => {
      await start();
      const r = await get(HASH);
      expect(r.status).toBe(404);
      expect(await lastLine()).toMatch(new RegExp(`^specthis cache-server: GET ${HASH} 404 0 B \\d+ ms token=read$`));
    });

    it('serves what a write token stored, byte for byte, to read and write tokens alike', async () => {
      await start();
      const body = nxArchive({ 'results/a.json': '{"a":1}\n' });
      expect((await put(HASH, body)).status).toBe(200);
      for (const token of [READ, WRITE]) {
        const r = await get(HASH, token);
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe('application/octet-stream');
        expect(r.body.equals(body)).toBe(true);
      }
      expect(objects()).toEqual([`${HASH}.json`, `${HASH}/${sha(body)}.tar.gz`]);
      const record = JSON.parse(readFileSync(join(dir, recordKey(HASH)), 'utf8'));
      expect(record).toEqual({ format: 'specthis-nx-cache/1', hash: HASH, sha256: sha(body), size: body.length });
      expect(lines.some((l) => l.includes(`PUT ${HASH} 200 ${body.length} B`) && l.endsWith('token=write'))).toBe(true);
    });

    it('asks for a token: 401 as text/plain exactly (Nx 24 prints the message only then)', async () => {
      await start();
      for (const token of [undefined, 'not-a-token-of-this-server']) {
        const r = await call(server.url, 'GET', `/v1/cache/${HASH}`, { token });
        expect(r.status).toBe(401);
        expect(r.headers['content-type']).toBe('text/plain');
        expect(r.body.toString()).toMatch(/^unauthorized: /);
      }
      expect(lines.filter((l) => / 401 /.test(l)).map((l) => /token=\w+/.exec(l)?.[0])).toEqual(['token=none', 'token=unknown']);
    });

    it('answers 404 for a stored object corrupted behind its back, and names the object', async () => {
      await start();
      const body = nxArchive();
      await put(HASH, body);
      const file = join(dir, archiveKey(HASH, sha(body)));
      const bad = Buffer.from(body);
      bad[bad.length - 20] ^= 0xff;
      writeFileSync(file, bad);
      expect((await get(HASH)).status).toBe(404);
      expect(errors.at(-1)).toContain(`${archiveKey(HASH, sha(body))} is corrupt (its SHA-256 is not the one recorded at upload)`);
      writeFileSync(file, body.subarray(0, 10));
      expect((await get(HASH)).status).toBe(404);
      expect(errors.at(-1)).toContain('is corrupt (10 bytes, the record says');
      rmSync(file);
      expect((await get(HASH)).status).toBe(404);
      expect(errors.at(-1)).toContain('which is missing; delete the record');
      writeFileSync(join(dir, recordKey(HASH)), '{"format": "something else"}');
      expect((await get(HASH)).status).toBe(404);
      expect(errors.at(-1)).toContain(`${recordKey(HASH)} is unusable`);
    });

    it('verifies and serves an artefact larger than it keeps in memory through a staged file', async () => {
      await start();
      const body = nxArchive({ 'results/big.bin': randomBytes(9 * 1024 * 1024) });
      expect((await put(HASH, body)).status).toBe(200);
      const r = await get(HASH);
      expect(r.status).toBe(200);
      expect(r.body.equals(body)).toBe(true);
      const file = join(dir, archiveKey(HASH, sha(body)));
      const bad = readFileSync(file);
      bad[5_000_000] ^= 0xff;
      writeFileSync(file, bad);
      expect((await get(HASH)).status).toBe(404);
      expect(errors.at(-1)).toContain('is corrupt');
      expect(readdirSync(join(sandbox, 'staging'))).toEqual([]);
    });

    it('answers a miss, in bounded time, when the store fails or does not answer', async () => {
      await start({ storeTimeoutMs: 300 });
      await put(HASH, nxArchive());
      store.fail.get = new CacheStoreError('unreachable', store.url, 'cannot reach the store');
      expect((await get(HASH)).status).toBe(404);
      expect(errors.at(-1)).toMatch(/GET \d+ 404 0 B \d+ ms token=read \(the store failed: cache file:.*cannot reach the store\)/);
      store.fail.get = 'hang';
      const t0 = Date.now();
      expect((await get(HASH)).status).toBe(404);
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(errors.at(-1)).toContain('(the store failed: no answer from the store within 300 ms)');
    });

    it('accepts the doubled slash of a base URL with a trailing slash, and refuses hashes that are not digits', async () => {
      await start();
      await put(HASH, nxArchive());
      expect((await call(server.url, 'GET', `//v1/cache/${HASH}`, { token: READ })).status).toBe(200);
      for (const path of ['/v1/cache/abc', '/v1/cache/..%2f..%2fetc', '/v1/cache/%31', '/v1/cache/', `/v1/cache/${'9'.repeat(33)}`]) {
        expect([path, (await call(server.url, 'GET', path, { token: READ })).status]).toEqual([path, 400]);
      }
      for (const path of ['/v1/cache/1/../2', '/v1/cache', '/', '/v2/cache/1'])
        expect([path, (await call(server.url, 'GET', path, { token: READ })).status]).toEqual([path, 404]);
    });
  });

  describe('PUT', () => {
    it('refuses a read-only token with 403 and stores nothing', async () => {
      await start();
      const r = await put(HASH, nxArchive(), READ);
      expect(r.status).toBe(403);
      expect(objects()).toEqual([]);
      expect(await lastLine()).toMatch(/PUT \d+ 403 \d+ B \d+ ms token=read$/);
    });

    it('refuses no token and an unknown token with 401 text/plain', async () => {
      await start();
      for (const token of [undefined, 'x'.repeat(40)]) {
        const r = await call(server.url, 'PUT', `/v1/cache/${HASH}`, { token, body: nxArchive() });
        expect(r.status).toBe(401);
        expect(r.headers['content-type']).toBe('text/plain');
      }
      expect(objects()).toEqual([]);
    });

    it('answers 409 for a hash stored already and never overwrites it', async () => {
      await start();
      const first = nxArchive({ 'a.txt': 'first' });
      expect((await put(HASH, first)).status).toBe(200);
      expect((await put(HASH, nxArchive({ 'a.txt': 'second' }))).status).toBe(409);
      expect((await get(HASH)).body.equals(first)).toBe(true);
      expect(objects()).toHaveLength(2);
    });

    it('stores one of two concurrent uploads of one hash and answers the other 409', async () => {
      await start();
      const bodies = [nxArchive({ 'a.txt': 'one' }), nxArchive({ 'a.txt': 'two' })];
      const answers = await Promise.all(bodies.map((b) => put(HASH, b)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = bodies[answers.findIndex((a) => a.status === 200)];
      expect((await get(HASH)).body.equals(winner)).toBe(true);
      // The loser's archive, when it got as far as the store, is removed again.
      expect(objects()).toEqual([`${HASH}.json`, `${HASH}/${sha(winner)}.tar.gz`]);
    });

    it('refuses a body over max-size with 403 (Nx 24 would fail the task on 413), reading it to the end first', async () => {
      await start({ maxSize: 1000 });
      const body = nxArchive({ 'big.bin': randomBytes(5000) });
      const r = await put(HASH, body);
      expect(r.status).toBe(403);
      expect(r.body.toString()).toContain(`${body.length} bytes is over this server's max-size of 1000`);
      expect(objects()).toEqual([]);
      expect(await lastLine()).toMatch(new RegExp(`PUT ${HASH} 403 ${body.length} B`));
    });

    it.each([
      ['not gzip', Buffer.from('this is not a gzip tar at all, not even close'), 'no gzip magic'],
      ['gzip of something else', gzipSync(Buffer.from('just text, no tar here '.repeat(100))), 'not a tar Nx can read'],
      ['a truncated gzip', nxArchive().subarray(0, 60), 'not a complete gzip file (unexpected end of file)'],
      ['a tar without code', gzipSync(tarBytes([{ path: 'dist/a', body: 'x' }])), 'no member code'],
      ['a code of the wrong size', gzipSync(tarBytes([{ path: 'code', body: '12345', type: 'OldFile' }])), 'member code holds 5 bytes'],
      [
        'a member climbing out with ..',
        gzipSync(
          tarBytes([
            { path: '../../escape', body: 'x' },
            { path: 'code', body: Buffer.alloc(4), type: 'OldFile' },
          ]),
        ),
        'member ../../escape: ".." segment',
      ],
      [
        'an absolute member',
        gzipSync(
          tarBytes([
            { path: '/etc/passwd', body: 'x' },
            { path: 'code', body: Buffer.alloc(4), type: 'OldFile' },
          ]),
        ),
        'absolute path',
      ],
      [
        'a link out of the archive',
        gzipSync(
          tarBytes([
            { path: 'dist/l', type: 'SymbolicLink', linkpath: '../../outside' },
            { path: 'code', body: Buffer.alloc(4) },
          ]),
        ),
        'points outside the archive',
      ],
      [
        'a hard link',
        gzipSync(
          tarBytes([
            { path: 'dist/h', type: 'Link', linkpath: 'dist/a' },
            { path: 'code', body: Buffer.alloc(4) },
          ]),
        ),
        'type Link',
      ],
      [
        'terminal output that is not UTF-8',
        gzipSync(
          tarBytes([
            { path: 'terminalOutput', body: Buffer.from([0xff, 0xfe, 0x41]) },
            { path: 'code', body: Buffer.alloc(4) },
          ]),
        ),
        'terminalOutput is not UTF-8',
      ],
      ['two gzip members', Buffer.concat([nxArchive(), gzipSync(Buffer.alloc(1024))]), 'more than one gzip member'],
      ['a gzip inside the gzip', gzipSync(nxArchive()), 'a compressed file inside the gzip'],
    ])('refuses %s with 403 and stores nothing', async (_what, body, reason) => {
      await start();
      const r = await put(HASH, body);
      expect(r.status).toBe(403);
      expect(r.body.toString()).toContain('not stored: not an archive Nx can restore');
      expect(await lastLine()).toContain(reason);
      expect(objects()).toEqual([]);
      expect(readdirSync(join(sandbox, 'staging'))).toEqual([]);
    });

    it('accepts links that stay inside the archive and directories', async () => {
      await start();
      const body = gzipSync(
        tarBytes([
          { path: 'dist/', type: 'Directory' },
          { path: 'dist/a', body: 'x' },
          { path: 'dist/sub/l', type: 'SymbolicLink', linkpath: '../a' },
          { path: 'terminalOutput', body: 'ok ✓\n', type: 'OldFile' },
          { path: 'code', body: Buffer.alloc(4), type: 'OldFile' },
        ]),
      );
      expect((await put(HASH, body)).status).toBe(200);
    });

    it('answers a body that stops short of its Content-Length with 400 once it falls silent, and stores nothing', async () => {
      await start({ bodyIdleTimeoutMs: 300 });
      const body = nxArchive();
      const head = `PUT /v1/cache/${HASH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: ${body.length}\r\n\r\n`;
      const answer = await raw(server.url, Buffer.concat([Buffer.from(head), body.subarray(0, 50)]));
      expect(statuses(answer)).toEqual([400]);
      expect(answer).toContain(`the body stopped after 50 of the ${body.length} bytes`);
      expect(objects()).toEqual([]);
      expect(readdirSync(join(sandbox, 'staging'))).toEqual([]);
    });

    it('stores nothing when the client goes away mid-body, and logs it', async () => {
      await start();
      const body = nxArchive();
      const head = `PUT /v1/cache/${HASH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: ${body.length}\r\n\r\n`;
      await raw(server.url, Buffer.concat([Buffer.from(head), body.subarray(0, 50)]), { closeAfterWrite: true, waitMs: 200 });
      expect(await lastLine()).toMatch(
        new RegExp(
          `PUT ${HASH} aborted 50 B \\d+ ms token=write \\(the client went away after 50 of ${body.length} bytes; nothing stored\\)`,
        ),
      );
      expect(objects()).toEqual([]);
    });

    it('stores nothing for a body longer than its Content-Length: what the length covers is a truncated archive', async () => {
      await start();
      const body = nxArchive({ 'a.txt': randomBytes(2000) });
      const head = `PUT /v1/cache/${HASH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: ${body.length - 100}\r\n\r\n`;
      const answer = await raw(server.url, Buffer.concat([Buffer.from(head), body]), { waitMs: 500 });
      // Node reads the 100 bytes past the length as the next request, answers 400 and closes at once, before ours.
      expect(statuses(answer)).toEqual([400]);
      expect(await lastLine()).toMatch(new RegExp(`PUT ${HASH} 403 ${body.length - 100} B .*not a complete gzip file`));
      expect(objects()).toEqual([]);
    });

    it('asks for a Content-Length (411) rather than take a chunked body', async () => {
      await start();
      const head = `PUT /v1/cache/${HASH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${WRITE}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`;
      expect(statuses(await raw(server.url, Buffer.from(head), { waitMs: 300 }))).toEqual([411]);
      expect(objects()).toEqual([]);
    });

    it('answers 403 when the store fails, stores no record, and bounds a store that does not answer', async () => {
      await start({ storeTimeoutMs: 300 });
      store.fail.put = new CacheStoreError('denied', store.url, 'access denied');
      const r = await put(HASH, nxArchive());
      expect(r.status).toBe(403);
      expect(errors.at(-1)).toMatch(/PUT \d+ 403 \d+ B \d+ ms token=write \(the store failed: .*access denied\)/);
      store.fail.put = 'hang';
      const t0 = Date.now();
      expect((await put(HASH, nxArchive())).status).toBe(403);
      expect(Date.now() - t0).toBeLessThan(2_000);
      store.fail.put = undefined;
      store.fail.has = 'hang';
      expect((await put(HASH, nxArchive())).status).toBe(403);
      store.fail.has = undefined;
      expect(existsSync(join(dir, recordKey(HASH)))).toBe(false);
      // The store mended, the same hash stores.
      expect((await put(HASH, nxArchive())).status).toBe(200);
    });

    it('writes no record after the deadline, even when the archive lands late', async () => {
      await start({ storeTimeoutMs: 200 });
      const slow = store.inner.putFile.bind(store.inner);
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      store.inner.putFile = async (key: string, src: string) => {
        await gate;
        return slow(key, src);
      };
      expect((await put(HASH, nxArchive())).status).toBe(403);
      release();
      await server.close(); // waits for the lingering commit
      expect(existsSync(join(dir, recordKey(HASH)))).toBe(false);
    });
  });

  describe('the rest', () => {
    it('answers /health without a token, and 405 to other methods', async () => {
      await start();
      // Idle connections are the client's to drop (reqwest keeps them 90 s); headers still have a bound.
      expect([server.server.keepAliveTimeout, server.server.headersTimeout, server.server.requestTimeout]).toEqual([100_000, 60_000, 0]);
      const health = await call(server.url, 'GET', '/health');
      expect([health.status, health.body.toString()]).toEqual([200, 'ok\n']);
      for (const method of ['HEAD', 'DELETE', 'POST', 'OPTIONS']) {
        const r = await call(server.url, method, `/v1/cache/${HASH}`, { token: WRITE });
        expect([method, r.status, r.headers.allow]).toEqual([method, 405, 'GET, PUT']);
      }
    });

    it('refuses to start without tokens, or without auth off loopback', async () => {
      const base = { store, port: 0 };
      await expect(startCacheServer(base)).rejects.toThrow(/no token is configured/);
      await expect(startCacheServer({ ...base, noAuth: true, host: '0.0.0.0' })).rejects.toThrow(/only on a loopback host/);
      await expect(startCacheServer({ ...base, noAuth: true, tokens: { write: [WRITE], read: [] } })).rejects.toThrow(CacheServerError);
    });

    it('without auth, writes for anyone on loopback, and only to loopback Host names', async () => {
      await start({ noAuth: true, tokens: undefined });
      expect((await put(HASH, nxArchive(), 'anything')).status).toBe(200);
      expect((await call(server.url, 'GET', `/v1/cache/${HASH}`)).status).toBe(200);
      const rebound = await call(server.url, 'PUT', `/v1/cache/1`, { body: nxArchive(), headers: { Host: `evil.example:${server.port}` } });
      expect(rebound.status).toBe(403);
      expect(lines.every((l) => !/cache-server: (GET|PUT)/.test(l) || l.includes('token=off'))).toBe(true);
    });
  });
});

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${name.name}` : name.name;
    if (name.isDirectory()) out.push(...listFiles(root, path));
    else out.push(path);
  }
  return out.sort();
}
