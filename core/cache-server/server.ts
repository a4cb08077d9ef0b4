import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheStoreError, errorText } from '../cache/errors';
import type { CacheStore, PutResult } from '../cache/store';
import { allowedHosts, hostAllowed } from '../serve/http-policy';
import { DeadlineExceeded, withDeadline } from './deadline';
import { archiveKey, MAX_RECORD_BYTES, NX_HASH, parseRecord, recordBytes, recordKey } from './keys';
import { nxArchiveProblem } from './nx-archive';
import { TokenChecker, type TokenList, type TokenLists } from './tokens';

export interface CacheServerLog {
  /** One line per request that went as planned (hits, misses, stores, refusals of the client). */
  info(line: string): void;
  /** One line per request the store or the data spoiled (a failed or slow store, a corrupt object). */
  error(line: string): void;
}

export interface CacheServerOptions {
  store: CacheStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8766 (the dashboard's is 8765); 0 picks a free port. */
  port?: number;
  /** Largest upload stored, in bytes. Default 1 GiB. */
  maxSize?: number;
  /** Read-write and read-only bearer tokens (core/cache-server/tokens.ts tokensFromEnv). */
  tokens?: TokenLists;
  /** Serve without tokens: only on a loopback host, and then only to loopback Host names. */
  noAuth?: boolean;
  log?: CacheServerLog;
  /** Where uploads are staged until complete; default a fresh folder in the OS temp dir, removed by close(). */
  stagingDir?: string;
  /** Bound on each store call; the archive's transfer gets this plus its size at MIN_STORE_RATE. Default 3 s. */
  storeTimeoutMs?: number;
  /** An upload silent this long is given up (answered 400 and closed). Default 30 s. */
  bodyIdleTimeoutMs?: number;
}

export interface RunningCacheServer {
  /** `http://<host>:<port>`, with the bound port and no trailing slash: the value of NX_SELF_HOSTED_REMOTE_CACHE_SERVER. */
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const CACHE_SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 8766,
  maxSize: 1024 ** 3,
  storeTimeoutMs: 3_000,
  bodyIdleTimeoutMs: 30_000,
} as const;

/**
 * The slowest transfer from or to the store that is still waited for, beyond
 * storeTimeoutMs: 100 MB may take 6 s more. Slower than that, a GET answers a
 * miss (Nx runs the task) rather than keep a person waiting on a cache.
 */
export const MIN_STORE_RATE = 16 * 1024 * 1024;
/** Artefacts up to this size are fetched into memory and verified there; larger ones go through a staged file. */
const IN_MEMORY_MAX = 8 * 1024 * 1024;
/** An upload may unpack to at most this many times max-size (a sanity bound against a gzip bomb in everyone's cache). */
const UNPACK_RATIO = 32;
/** How long close() lets requests under way finish before it cuts their connections. */
const CLOSE_GRACE_MS = 2_000;

/**
 * A configuration the server refuses to start with; the message is one line
 * saying what to do. `config`: options or environment; `store`: the store is not
 * there or not ours to use (core/cache-server/open.ts probes it).
 */
export class CacheServerError extends Error {
  override readonly name = 'CacheServerError';
  constructor(
    message: string,
    options?: { cause?: unknown },
    readonly kind: 'config' | 'store' = 'config',
  ) {
    super(message, options);
  }
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * The team's Nx remote cache (docs/decisions.md, "Nx remote cache"): Nx 24's
 * self-hosted cache API, `GET` and `PUT /v1/cache/<hash>`, over a results-cache
 * store (core/cache), so that the cache can never break or hang a build and
 * only trusted writers can fill it.
 *
 * What Nx 24.0.6 does with each answer was measured against its client (nx's
 * native http_remote_cache.rs): a GET answered anything but 200 or 404 aborts
 * the whole run, as does a 200 whose body it cannot unpack; a PUT answered
 * anything but 200, 403 or 409 is retried six times and then fails the task.
 * So every failure of the store is a 404 on GET and a 403 on PUT, bytes are
 * verified before a 200, and only archives Nx can restore are stored.
 */
export async function startCacheServer(options: CacheServerOptions): Promise<RunningCacheServer> {
  const host = options.host ?? CACHE_SERVER_DEFAULTS.host;
  const maxSize = options.maxSize ?? CACHE_SERVER_DEFAULTS.maxSize;
  const storeTimeoutMs = options.storeTimeoutMs ?? CACHE_SERVER_DEFAULTS.storeTimeoutMs;
  const idleMs = options.bodyIdleTimeoutMs ?? CACHE_SERVER_DEFAULTS.bodyIdleTimeoutMs;
  const store = options.store;
  const log = options.log ?? { info: () => {}, error: () => {} };
  const tokens = new TokenChecker(options.tokens ?? { write: [], read: [] });
  if (options.noAuth) {
    if (!isLoopbackHost(host))
      throw new CacheServerError(
        `--no-auth serves anyone who can connect, so only on a loopback host (127.0.0.1, ::1, localhost), not ${host}; configure tokens instead`,
      );
    if (tokens.count)
      throw new CacheServerError('--no-auth was given, and so were tokens; drop one of them, so that it is clear who may write');
  } else if (!tokens.count) {
    throw new CacheServerError(
      'no token is configured, so nobody could read or write; set SPECTHIS_CACHE_SERVER_WRITE_TOKENS (and SPECTHIS_CACHE_SERVER_READ_TOKENS), or pass --no-auth on a loopback host',
    );
  }
  if (!Number.isSafeInteger(maxSize) || maxSize < 1) throw new CacheServerError(`max-size must be a positive whole number of bytes`);

  const ownStaging = options.stagingDir === undefined;
  const staging = ownStaging ? mkdtempSync(join(tmpdir(), 'specthis-cache-server-')) : (options.stagingDir as string);
  if (!ownStaging) mkdirSync(staging, { recursive: true });
  const stagedPath = (kind: string) => join(staging, `${kind}-${randomBytes(8).toString('hex')}.tar.gz`);
  /** Store work that outlived its request (a deadline passed): close() waits for it before removing the staging folder. */
  const lingering = new Set<Promise<void>>();
  const linger = (p: Promise<void>) => {
    lingering.add(p);
    void p.finally(() => lingering.delete(p));
  };
  let allowed = new Set<string>();

  // requestTimeout 0: a large upload may take longer than Node's 300 s, and receive() bounds silence instead;
  // the headers still have 60 s (Node would otherwise derive 0, no bound, from requestTimeout).
  // keepAliveTimeout above reqwest's 90 s pool idle timeout: the client, not the server, drops an idle
  // connection, so Nx never sends a request on one the server is closing (an error that fails the task).
  const server = createServer({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 100_000 }, (req, res) => {
    void handle(req, res).catch((error) => {
      // Nothing planned reaches here; if it does, the answer is still one Nx carries on after, and one line says why.
      const status = req.method === 'PUT' ? 403 : 404;
      if (!res.headersSent) plain(res, status, `${status === 403 ? 'not stored' : 'miss'}: internal error\n`);
      else res.destroy();
      log.error(
        `specthis cache-server: ${req.method} ${shownTarget(req.url)} answered ${status} after an unexpected error: ${errorText(error)}`,
      );
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const line = requestLine(req, res, log);
    try {
      await route(req, line);
    } finally {
      line.done();
    }
  }

  async function route(req: IncomingMessage, line: RequestLine): Promise<void> {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path === '/health') {
      line.list = 'none';
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return line.answer(405, 'method not allowed: GET /health\n', { Allow: 'GET, HEAD' });
      return line.answer(200, 'ok\n');
    }
    const m = /^\/+v1\/cache\/([^/]*)$/.exec(path);
    if (!m) return line.answer(404, 'not found: this server answers GET and PUT /v1/cache/<hash>, and GET /health\n');
    line.hash = m[1];
    if (!NX_HASH.test(m[1])) return line.answer(400, 'bad request: a hash is 1 to 32 decimal digits\n');
    if (options.noAuth && !hostAllowed(req.headers.host, allowed)) {
      line.list = 'off';
      return line.answer(403, 'forbidden: without tokens this server answers only requests addressed to a loopback name and its port\n');
    }
    line.list = options.noAuth ? 'off' : tokens.classify(req.headers.authorization);
    if (req.method === 'GET') return get(line, m[1]);
    if (req.method === 'PUT') return put(req, line, m[1]);
    return line.answer(405, 'method not allowed: GET or PUT\n', { Allow: 'GET, PUT' });
  }

  async function get(line: RequestLine, hash: string): Promise<void> {
    if (line.list === 'none' || line.list === 'unknown') return line.answer(401, unauthorized(line.list));
    const miss = (reason: string) => line.answer(404, 'miss\n', {}, reason, 'error');
    let bytes: Buffer | undefined;
    try {
      bytes = await bounded(storeTimeoutMs, () => store.getBytes(recordKey(hash), MAX_RECORD_BYTES));
    } catch (error) {
      return miss(`the store failed: ${storeText(error)}`);
    }
    if (!bytes) return line.answer(404, 'miss\n');
    const parsed = parseRecord(bytes, hash);
    if (!parsed.ok) return miss(`${recordKey(hash)} is unusable (${parsed.reason}); delete it`);
    const { sha256, size } = parsed.record;
    const key = archiveKey(hash, sha256);
    const budget = storeTimeoutMs + Math.ceil((size / MIN_STORE_RATE) * 1000);
    const corrupt = (what: string) => miss(`${key} is corrupt (${what}); delete it and ${recordKey(hash)}`);
    if (size <= IN_MEMORY_MAX) {
      let body: Buffer | undefined;
      try {
        body = await bounded(budget, () => store.getBytes(key, size));
      } catch (error) {
        if (error instanceof CacheStoreError && error.category === 'too-large') return corrupt(`larger than the ${size} bytes recorded`);
        return miss(`the store failed: ${storeText(error)}`);
      }
      if (!body) return miss(`${recordKey(hash)} names ${key}, which is missing; delete the record`);
      if (body.length !== size) return corrupt(`${body.length} bytes, the record says ${size}`);
      if (sha256Hex(body) !== sha256) return corrupt('its SHA-256 is not the one recorded at upload');
      return line.send(200, body);
    }
    // Large: staged to a file of our own and verified there; the file is read from an open handle, so nothing can swap it.
    const file = stagedPath('get');
    const work = withDeadline(budget, () => store.getToFile(key, file, size));
    // A download that outlives its deadline still writes the file: it is removed once that is really over.
    let late = false;
    linger(work.settled.then(() => (late ? rm(file, { force: true }) : undefined)));
    let got;
    try {
      got = await work.result;
    } catch (error) {
      late = error instanceof DeadlineExceeded;
      if (!late) await rm(file, { force: true });
      if (error instanceof CacheStoreError && error.category === 'too-large') return corrupt(`larger than the ${size} bytes recorded`);
      return miss(`the store failed: ${storeText(error)}`);
    }
    const verdict = !got
      ? `${recordKey(hash)} names ${key}, which is missing; delete the record`
      : got.size !== size
        ? `${got.size} bytes, the record says ${size}`
        : got.sha256 !== sha256
          ? 'its SHA-256 is not the one recorded at upload'
          : undefined;
    const handle = verdict ? undefined : await open(file, 'r');
    await rm(file, { force: true });
    if (!got) return miss(verdict as string);
    if (!handle) return corrupt(verdict as string);
    return line.stream(200, handle, size);
  }

  async function put(req: IncomingMessage, line: RequestLine, hash: string): Promise<void> {
    const declared = contentLength(req);
    const early: [number, string, string?] | undefined =
      line.list === 'none' || line.list === 'unknown'
        ? [401, unauthorized(line.list)]
        : line.list === 'read'
          ? [403, 'not stored: this token may only read\n']
          : declared === undefined
            ? [411, 'length required: send the whole archive with a Content-Length, as Nx does\n', 'no Content-Length']
            : declared > maxSize
              ? [
                  403,
                  `not stored: ${declared} bytes is over this server's max-size of ${maxSize}\n`,
                  `${declared} bytes, over max-size ${maxSize}`,
                ]
              : undefined;
    // The body is taken from the first moment, before anything is awaited (a client that goes away meanwhile is
    // seen, with what it sent), and read to its end before the answer, into the bin when refused: Nx's client
    // sends it all before it reads, and a connection closed under it is an error that fails the task.
    const file = early ? undefined : stagedPath('put');
    const receiving = receive(req, file, idleMs, declared);
    const exists = early
      ? undefined
      : bounded(storeTimeoutMs, () => store.has(recordKey(hash))).then(
          (found) => ({ found }),
          (error: unknown) => ({ error }),
        );
    const staged = await receiving;
    line.bytes = staged.size;
    const refuse = async (status: number, text: string, reason?: string, level: 'info' | 'error' = 'info') => {
      if (file) await rm(file, { force: true });
      line.answer(status, text, {}, reason, level);
    };
    if (staged.kind === 'aborted') return (file && (await rm(file, { force: true })), line.aborted(staged.size, declared));
    if (staged.kind === 'idle') {
      if (file) await rm(file, { force: true });
      return line.answer(400, shortBody(staged.size, declared), { Connection: 'close' }, 'the body stopped short', 'info', true);
    }
    if (early) return refuse(...early);
    if (staged.kind === 'io')
      return refuse(403, 'not stored: the server could not stage it\n', `staging failed: ${errorText(staged.error)}`, 'error');
    const looked = (await exists) as { found: boolean } | { error: unknown };
    if ('error' in looked) return refuse(403, 'not stored: the store failed\n', `the store failed: ${storeText(looked.error)}`, 'error');
    if (looked.found) return refuse(409, 'exists: this hash is stored already, and is never overwritten\n');
    const problem = await nxArchiveProblem(file as string, staged.size, maxSize * UNPACK_RATIO).catch(errorText);
    if (problem) return refuse(403, `not stored: not an archive Nx can restore (${problem})\n`, problem);
    const path = file as string;
    const budget = storeTimeoutMs + Math.ceil((staged.size / MIN_STORE_RATE) * 1000);
    const work = withDeadline(budget, (abandoned) => commit(hash, path, staged.sha256, staged.size, abandoned));
    // The commit may still be reading the file after a deadline: it is removed when the commit is really done.
    const removed = work.settled.then(() => rm(path, { force: true }));
    linger(removed);
    let result: PutResult;
    try {
      result = await work.result;
    } catch (error) {
      return line.answer(403, 'not stored: the store failed\n', {}, `the store failed: ${storeText(error)}`, 'error');
    }
    await removed;
    if (result === 'exists')
      return line.answer(409, 'exists: another upload of this hash was stored first\n', {}, 'lost the race to another upload');
    return line.answer(200, 'stored\n');
  }

  /**
   * Archive first, record last: the record is the commit (a GET finds nothing
   * without it). An interrupted commit leaves at most an archive no record
   * names, which no reader ever sees; it is never deleted here, because an
   * upload with the same bytes may have found it and be about to name it.
   */
  async function commit(hash: string, file: string, sha256: string, size: number, abandoned: () => boolean): Promise<PutResult> {
    const key = archiveKey(hash, sha256);
    const ours = (await store.putFile(key, file)) === 'stored';
    if (abandoned()) throw new DeadlineExceeded(storeTimeoutMs);
    if ((await store.putBytes(recordKey(hash), recordBytes({ hash, sha256, size }))) === 'stored') return 'stored';
    // Lost the race: the winner's record names its own archive; ours is garbage only if its bytes differ.
    if (ours) {
      const winner = await store.getBytes(recordKey(hash), MAX_RECORD_BYTES).catch(() => undefined);
      const parsed = winner && parseRecord(winner, hash);
      if (parsed && parsed.ok && parsed.record.sha256 !== sha256) await store.delete(key).catch(() => undefined);
    }
    return 'exists';
  }

  function bounded<T>(ms: number, call: () => Promise<T>): Promise<T> {
    const work = withDeadline(ms, call);
    linger(work.settled);
    return work.result;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? CACHE_SERVER_DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error) => {
    if (ownStaging) rmSync(staging, { recursive: true, force: true });
    throw error;
  });
  const address = server.address() as AddressInfo;
  allowed = allowedHosts(host, address.port);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost === '0.0.0.0' || urlHost === '[::]' ? 'localhost' : urlHost}:${address.port}`,
    host,
    port: address.port,
    server,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        // Store work that outlived its request is waited for, within a bound: a store that never answers must not hold the process.
        await Promise.race([Promise.all([...lingering]), new Promise((r) => setTimeout(r, Math.min(10_000, storeTimeoutMs * 4)).unref())]);
        if (ownStaging) rmSync(staging, { recursive: true, force: true });
      })()),
  };
}

interface RequestLine {
  hash?: string;
  list: TokenList | '-';
  bytes: number;
  answer(status: number, text: string, headers?: Record<string, string>, reason?: string, level?: 'info' | 'error', close?: boolean): void;
  send(status: number, body: Buffer): void;
  stream(status: number, handle: FileHandle, size: number): void;
  aborted(received: number, declared: number | undefined): void;
  /** The handler is done: the line is written once the answer has gone too. */
  done(): void;
}

/**
 * One log line per request, written when the answer has gone (or the client
 * has): method, hash (or the path, escaped), status, bytes, milliseconds, the
 * token's list — never the token — and why, when it was not the plain case.
 */
function requestLine(req: IncomingMessage, res: ServerResponse, log: CacheServerLog): RequestLine {
  const started = process.hrtime.bigint();
  let status: number | 'aborted' = 0;
  let reason: string | undefined;
  let level: 'info' | 'error' = 'info';
  let written = false;
  const line: RequestLine = {
    list: '-',
    bytes: 0,
    answer(code, text, headers = {}, why, lvl = 'info', close = false) {
      reason = why;
      level = lvl;
      const body = Buffer.from(text, 'utf8');
      plain(res, code, body, headers);
      status = code;
      if (req.method !== 'PUT') line.bytes = code === 200 ? body.length : 0;
      if (close) res.once('finish', () => req.socket.destroy());
    },
    send(code, body) {
      status = code;
      line.bytes = body.length;
      res.writeHead(code, { ...HEADERS, 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) });
      res.end(body);
    },
    stream(code, handle, size) {
      status = code;
      line.bytes = size;
      res.writeHead(code, { ...HEADERS, 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) });
      // pipeline closes the handle and the response together, whichever side fails or goes away.
      pipeline(handle.createReadStream({ highWaterMark: 1 << 20 }), res).catch(() => undefined);
    },
    aborted(received, declared) {
      status = 'aborted';
      reason = `the client went away after ${received}${declared === undefined ? '' : ` of ${declared}`} bytes; nothing stored`;
    },
    done: () => undefined,
  };
  let closed = false;
  let finished = false;
  const write = () => {
    if (written || !closed || !finished) return;
    written = true;
    const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    const shown = line.hash !== undefined && NX_HASH.test(line.hash) ? line.hash : shownTarget(req.url);
    const what = status === 0 ? 'aborted' : status;
    if (status === 0) reason ??= 'the client went away before the answer';
    const text = `specthis cache-server: ${req.method} ${shown} ${what} ${line.bytes} B ${ms} ms token=${line.list}${reason ? ` (${reason})` : ''}`;
    (level === 'error' ? log.error : log.info)(text);
  };
  res.once('close', () => {
    closed = true;
    write();
  });
  line.done = () => {
    finished = true;
    write();
  };
  return line;
}

const HEADERS: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/**
 * A text answer. `text/plain` exactly, with no charset: Nx 24.0.6 compares the
 * header to "text/plain" and, for a 401 with any other value, prints "Requests
 * should respond with text/plain on 401s" instead of the message (measured).
 */
function plain(res: ServerResponse, status: number, text: string | Buffer, headers: Record<string, string> = {}): void {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain', 'Content-Length': String(body.length), ...headers });
  res.end(body);
}

function unauthorized(list: 'none' | 'unknown'): string {
  return list === 'none'
    ? 'unauthorized: no token; set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN to a read or write token of this cache server\n'
    : 'unauthorized: this cache server does not know the token in NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN\n';
}

function shortBody(received: number, declared: number | undefined): string {
  return `bad request: the body stopped after ${received} of the ${declared ?? '?'} bytes its Content-Length announced; nothing stored\n`;
}

/** The Content-Length of a request with one, or undefined (chunked, absent, malformed; Node's parser refuses most of the last). */
function contentLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

type Received =
  | { kind: 'complete'; size: number; sha256: string }
  | { kind: 'aborted'; size: number }
  | { kind: 'idle'; size: number }
  | { kind: 'io'; size: number; error: unknown };

/**
 * Reads a request body to its end, into `file` (created, never replaced) with
 * its SHA-256, or nowhere. Node's parser stops at Content-Length, so a body
 * longer than announced ends there (its tail reaches the parser as a next
 * request, which Node answers 400); a shorter one either goes away with its
 * client (`aborted`) or falls silent (`idle`). A file that cannot be written is
 * read to the end anyway, so the client can still be answered.
 */
function receive(req: IncomingMessage, file: string | undefined, idleMs: number, declared: number | undefined): Promise<Received> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    const out = file === undefined ? undefined : createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let size = 0;
    let failure: unknown;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Received) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      if (result.kind !== 'complete') out?.destroy();
      resolve(result);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'idle', size }), idleMs).unref();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      arm();
      if (!out || failure) return;
      hash.update(chunk);
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => {
          arm(); // the silence was the disk's, not the client's
          req.resume();
        });
      }
    };
    out?.on('error', (error) => {
      failure ??= error;
      req.resume();
    });
    req.on('data', onData);
    let ending = false;
    const ended = () => {
      if (ending) return;
      ending = true;
      if (!out) return finish({ kind: 'complete', size, sha256: '' });
      if (failure) return finish({ kind: 'io', size, error: failure });
      out.end();
      out.once('close', () =>
        finish(failure ? { kind: 'io', size, error: failure } : { kind: 'complete', size, sha256: hash.digest('hex') }),
      );
    };
    req.once('end', ended);
    // Closed without 'end': the client went away mid-body, or Node closed the connection after the whole body was
    // parsed (bytes past Content-Length that are no request), when every byte has been delivered already.
    req.once('close', () => (req.complete && (declared === undefined || size === declared) ? ended() : finish({ kind: 'aborted', size })));
    req.once('error', () => (req.complete ? undefined : finish({ kind: 'aborted', size })));
    arm();
  });
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function storeText(error: unknown): string {
  if (error instanceof DeadlineExceeded) return error.message;
  return errorText(error);
}

/** A request target as a log line may hold it: escaped when odd, at most 100 characters. */
function shownTarget(url: string | undefined): string {
  const text = url ?? '';
  const safe = /^[\x21-\x7e]*$/.test(text) ? text : JSON.stringify(text);
  return safe.length > 100 ? `${safe.slice(0, 100)}…` : safe || '""';
}
