import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CacheStoreError, errorCode, errorText } from './errors';
import { keyProblem, prefixProblem, type CacheObject, type CacheStore, type Downloaded, type PutResult } from './store';

export interface S3StoreOptions {
  /** Default: AWS_REGION, AWS_DEFAULT_REGION, the AWS config file; `us-east-1` when an endpoint is given and none of those is. */
  region?: string;
  /** An S3-compatible server; default AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL (the SDK's standard variables). */
  endpoint?: string;
  /** Where the standard variables are read from (tests); default process.env. */
  env?: NodeJS.ProcessEnv;
  connectTimeoutMs?: number;
  /** A socket silent for this long fails the attempt: the bound on a server that accepts and never answers. */
  idleTimeoutMs?: number;
  /** Attempts per request, the first included; the SDK's standard retry mode spaces them with jittered backoff. */
  maxAttempts?: number;
  /** Files up to this size go up in one PutObject; larger ones as a multipart upload. */
  multipartThresholdBytes?: number;
  partSizeBytes?: number;
  /** Parts in flight at once. */
  queueSize?: number;
}

/**
 * Defaults, measured against moto on this project's 2-core machine (bench/cache.js,
 * bench/README.md): 16 MiB parts, 4 in flight pushed 200 MB fastest of 8x8, 8x10,
 * 16x8, 16x4 and 32x4 (and hold 64 MiB of parts in memory). A dead endpoint costs
 * maxAttempts x connectTimeoutMs at most, a hung one maxAttempts x idleTimeoutMs,
 * plus the SDK's backoff (well under a second for three attempts): measured 9.1 s
 * and 12.1 s.
 */
export const S3_STORE_DEFAULTS = {
  connectTimeoutMs: 3_000,
  idleTimeoutMs: 4_000,
  maxAttempts: 3,
  multipartThresholdBytes: 16 * 1024 * 1024,
  partSizeBytes: 16 * 1024 * 1024,
  queueSize: 4,
} as const;

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);
const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'ExpiredToken', 'InvalidToken']);
const WRONG_REGION = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * The S3 store: any S3 or S3-compatible server through @aws-sdk/client-s3.
 *
 * - Credentials only from the SDK's standard chain; the URL never holds any (core/cache/url.ts).
 * - CRC32 request checksums, the SDK default since client-s3 3.729, break several
 *   S3-compatible servers (aws/aws-sdk-js-v3#6810): both checksum settings are WHEN_REQUIRED.
 * - First writer wins: `IfNoneMatch: '*'` on PutObject and on CompleteMultipartUpload
 *   (lib-storage passes the upload's params to both); 412 means "already stored". A
 *   server that ignores the header overwrites instead, which the results cache survives
 *   because it writes an entry's manifest last and verifies every byte on fetch.
 * - Bodies are Buffers with lengths: the SDK can resend a Buffer on retry, not a consumed stream.
 */
export class S3Store implements CacheStore {
  readonly url: string;
  readonly endpoint: string | undefined;
  private readonly client: S3Client;
  private readonly options: Required<Omit<S3StoreOptions, 'region' | 'endpoint' | 'env'>>;
  /** Set once the bucket answered: a HEAD 404 then means "no such key", not "no such bucket". */
  private bucketSeen = false;

  constructor(
    readonly bucket: string,
    readonly prefix: string,
    options: S3StoreOptions = {},
  ) {
    const env = options.env ?? process.env;
    this.url = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    this.options = { ...S3_STORE_DEFAULTS, ...definedOnly(options) };
    const endpoint =
      options.endpoint ??
      (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : (env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL));
    if (endpoint !== undefined && !/^https?:\/\/[^/]/i.test(endpoint)) {
      throw new CacheStoreError(
        'config',
        this.url,
        `endpoint "${endpoint}" is not an http:// or https:// URL; fix the endpoint option or AWS_ENDPOINT_URL_S3`,
      );
    }
    this.endpoint = endpoint || undefined;
    const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (this.endpoint ? 'us-east-1' : undefined);
    const config: S3ClientConfig = {
      region,
      endpoint: this.endpoint,
      // S3-compatible servers rarely serve virtual-host buckets (bucket.host) on a bare endpoint.
      forcePathStyle: this.endpoint !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: this.options.maxAttempts,
      retryMode: 'standard',
      // socketTimeout is the idle bound; requestTimeout would bound a whole transfer, which grows with the object.
      requestHandler: { connectionTimeout: this.options.connectTimeoutMs, socketTimeout: this.options.idleTimeoutMs },
    };
    this.client = withoutNodeVersionWarning(() => new S3Client(config));
    this.client.middlewareStack.add(
      (next) => async (args) => {
        unsignLargePayload(args.request);
        return next(args);
      },
      { step: 'build', name: 'specthisUnsignedLargePayloads' },
    );
  }

  async has(key: string): Promise<boolean> {
    const Key = this.key(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      this.bucketSeen = true;
      return true;
    } catch (error) {
      if (status(error) !== 404) throw this.fail(error, 'HEAD', key);
    }
    // A HEAD answer has no body, so a missing bucket and a missing key look alike: ask the bucket once.
    if (!this.bucketSeen) {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      } catch (error) {
        if (status(error) === 404) throw this.noBucket();
        if (status(error) !== 403) throw this.fail(error, 'HEAD bucket', key);
        // 403: no s3:ListBucket; the bucket may well exist.
      }
      this.bucketSeen = true;
    }
    return false;
  }

  async getToFile(key: string, dest: string, maxBytes: number): Promise<Downloaded | undefined> {
    const body = await this.get(key, maxBytes);
    if (!body) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body.stream,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes) throw new TooLarge(size);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(dest),
      );
    } catch (error) {
      if (error instanceof TooLarge) throw this.tooLarge(key, error.size, maxBytes);
      if (errorCode(error) === 'EACCES' || errorCode(error) === 'ENOSPC' || errorCode(error) === 'ENOENT') {
        throw new CacheStoreError(
          'io',
          this.url,
          `cannot write ${dest} while getting ${key} (${errorText(error)}); check the staging folder`,
          { cause: error },
        );
      }
      throw this.fail(error, 'GET', key);
    }
    this.checkLength(key, size, body.length);
    return { size, sha256: hash.digest('hex') };
  }

  async getBytes(key: string, maxBytes: number): Promise<Buffer | undefined> {
    const body = await this.get(key, maxBytes);
    if (!body) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body.stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          body.stream.destroy();
          throw this.tooLarge(key, size, maxBytes);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw this.fail(error, 'GET', key);
    }
    this.checkLength(key, size, body.length);
    return Buffer.concat(chunks);
  }

  async putFile(key: string, src: string): Promise<PutResult> {
    this.key(key); // refuses a bad key before any I/O
    let size: number;
    try {
      size = (await stat(src)).size;
    } catch (error) {
      throw new CacheStoreError('io', this.url, `cannot read ${src} to put ${key} (${errorText(error)})`, { cause: error });
    }
    if (size <= this.options.multipartThresholdBytes) return this.putBytes(key, await readFile(src));
    return this.upload(key, createReadStream(src, { highWaterMark: 1 << 20 }), size, 'multipart PUT');
  }

  /** Parts are cut from the stream as it comes; a body shorter than one part goes up as one PutObject. */
  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<PutResult> {
    return this.upload(key, body instanceof Readable ? body : Readable.from(body, { objectMode: false }));
  }

  private upload(key: string, Body: Readable, ContentLength?: number, what = 'streamed PUT'): Promise<PutResult> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(key), Body, ContentLength, IfNoneMatch: '*' },
      partSize: this.options.partSizeBytes,
      queueSize: this.options.queueSize,
    });
    return this.conditional(() => upload.done(), what, key);
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<PutResult> {
    const Key = this.key(key);
    const Body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.conditional(
      () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body, ContentLength: Body.length, IfNoneMatch: '*' })),
      'PUT',
      key,
    );
  }

  async list(prefix: string): Promise<CacheObject[]> {
    const problem = prefixProblem(prefix);
    if (problem) throw new CacheStoreError('config', this.url, `${problem}; keys are made by core/cache/keys.ts`);
    const base = this.prefix ? `${this.prefix}/` : '';
    const objects: CacheObject[] = [];
    try {
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: `${base}${prefix}` })) {
        for (const o of page.Contents ?? []) {
          if (!o.Key?.startsWith(base)) continue;
          objects.push({ key: o.Key.slice(base.length), size: o.Size ?? 0, lastModified: o.LastModified?.toISOString() ?? '' });
        }
      }
    } catch (error) {
      throw this.fail(error, 'LIST', prefix || '(all)');
    }
    this.bucketSeen = true;
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    const Key = this.key(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      if (status(error) !== 404 || sdkName(error) === 'NoSuchBucket') throw this.fail(error, 'DELETE', key);
    }
  }

  close(): void {
    this.client.destroy();
  }

  private key(key: string): string {
    const problem = keyProblem(key);
    if (problem) throw new CacheStoreError('config', this.url, `${problem}; keys are made by core/cache/keys.ts`);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private async get(key: string, maxBytes: number): Promise<{ stream: Readable; length: number | undefined } | undefined> {
    const Key = this.key(key);
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      // Only S3's own "no such key" is a miss: a bare 404 comes from something that is not an S3 API (a wrong endpoint, a proxy).
      if (sdkName(error) === 'NoSuchKey') return undefined;
      if (status(error) === 404 && sdkName(error) !== 'NoSuchBucket') {
        throw new CacheStoreError(
          'config',
          this.url,
          `GET ${key} answered HTTP 404 without an S3 error code${this.at()}; check that the endpoint is an S3 API`,
          {
            cause: error,
          },
        );
      }
      throw this.fail(error, 'GET', key);
    }
    this.bucketSeen = true;
    const stream = response.Body as Readable | undefined;
    if (!stream) throw new CacheStoreError('corrupt', this.url, `GET ${key} answered without a body; check the S3 server`);
    if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
      stream.destroy();
      throw this.tooLarge(key, response.ContentLength, maxBytes);
    }
    return { stream, length: response.ContentLength };
  }

  private checkLength(key: string, size: number, length: number | undefined): void {
    if (length !== undefined && size !== length) {
      throw new CacheStoreError('corrupt', this.url, `GET ${key} ended after ${size} of ${length} bytes; try again`);
    }
  }

  private async conditional(put: () => Promise<unknown>, op: string, key: string): Promise<PutResult> {
    try {
      await put();
      this.bucketSeen = true;
      return 'stored';
    } catch (error) {
      // 412: IfNoneMatch found the key. 409 ConditionalRequestConflict: another writer's conditional write of it is in flight (AWS).
      if (status(error) === 412 || (status(error) === 409 && sdkName(error) === 'ConditionalRequestConflict')) return 'exists';
      throw this.fail(error, op, key);
    }
  }

  private noBucket(): CacheStoreError {
    return new CacheStoreError('no-bucket', this.url, `bucket "${this.bucket}" does not exist${this.at()}; create it or fix the cache URL`);
  }

  private tooLarge(key: string, size: number, maxBytes: number): CacheStoreError {
    return new CacheStoreError(
      'too-large',
      this.url,
      `${key} holds ${size} bytes, more than the ${maxBytes} allowed; prune the cache entry`,
    );
  }

  private at(): string {
    return this.endpoint ? ` at ${this.endpoint}` : '';
  }

  /** Turns whatever the SDK threw into one CacheStoreError naming the category, the request and what to do. */
  private fail(error: unknown, op: string, key: string): CacheStoreError {
    if (error instanceof CacheStoreError) return error;
    const e = (error ?? {}) as SdkError;
    const name = sdkName(error) ?? 'Error';
    // The SDK wraps what is not `instanceof Error` (a Node error from another realm, as under jest) as
    // "AWS SDK error wrapper for Error: connect ECONNREFUSED …", dropping `code`: read it from the text then.
    const code = errorCode(error) ?? /\b(E[A-Z]{4,})\b/.exec(e.message ?? '')?.[1];
    const http = status(error);
    const attempts = e.$metadata?.attempts ?? 1;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const where = `${op} ${key}`;
    const make = (category: ConstructorParameters<typeof CacheStoreError>[0], text: string) =>
      new CacheStoreError(category, this.url, text, { cause: error });
    const message = e.message ?? '';
    if (name === 'TimeoutError' || code === 'ETIMEDOUT') {
      const s = (ms: number) => `${ms / 1000} s`;
      return make(
        'timeout',
        // The bounds say it all; the SDK's own text ("@smithy/node-http-handler - the request socket timed out after 4000 ms
        // of inactivity (configured by client requestHandler).") only repeats one of them.
        `${where} timed out${tries} (${code ? `${code}; ` : ''}bounds: connect ${s(this.options.connectTimeoutMs)}, silence ${s(this.options.idleTimeoutMs)}); check that ${this.endpoint ?? 'S3'} answers`,
      );
    }
    if ((code && UNREACHABLE.has(code)) || /socket hang up/i.test(message)) {
      return make(
        'unreachable',
        `cannot reach ${this.endpoint ?? 'S3'} for ${where}${tries} (${code ?? errorText(error)}); check the endpoint and the network`,
      );
    }
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
      return make(
        'credentials',
        `no AWS credentials for ${where} (${errorText(error)}); set them in the standard chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, instance role)`,
      );
    }
    if (/region is missing/i.test(message)) {
      return make('config', `no region for ${where}; set the cache region option or AWS_REGION`);
    }
    if (name === 'NoSuchBucket') return this.noBucket();
    if (http === 401 || http === 403 || DENIED.has(name)) {
      return make(
        'denied',
        `access denied for ${where} (HTTP ${http ?? '?'} ${name})${this.at()}; check the credentials and the bucket policy`,
      );
    }
    if (http === 301 || http === 307 || WRONG_REGION.has(name)) {
      return make(
        'config',
        `${where} was redirected (HTTP ${http ?? '?'} ${name}): the bucket is in another region; set the cache region option`,
      );
    }
    const detail = http ? `HTTP ${http} ${name}` : errorText(error);
    return make('server', `${where} failed${tries} (${detail})${this.at()}; try again later`);
  }
}

/** Bodies from this size on are sent as UNSIGNED-PAYLOAD (see unsignLargePayload). */
const UNSIGNED_FROM = 1024 * 1024;

/**
 * SigV4 hashes every Buffer body to sign it: a third SHA-256 pass over an
 * archive the push has already hashed (its files, then itself, for the
 * manifest). For the large bodies (archive parts) the request says
 * UNSIGNED-PAYLOAD instead, which S3 accepts: integrity comes from TLS in
 * transit and, end to end, from the manifest's SHA-256 that every fetch checks
 * (core/cache/fetch.ts). Small bodies (manifests, multipart completions) stay signed.
 */
function unsignLargePayload(request: unknown): void {
  const r = request as { method?: string; body?: unknown; headers?: Record<string, string> } | undefined;
  if (r?.method === 'PUT' && r.headers && r.body instanceof Uint8Array && r.body.byteLength >= UNSIGNED_FROM) {
    r.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }
}

class TooLarge extends Error {
  constructor(readonly size: number) {
    super(`too large: ${size}`);
  }
}

function status(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

function sdkName(error: unknown): string | undefined {
  const e = error as SdkError | null;
  return e?.Code ?? e?.name;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The SDK prints a multi-line NodeVersionSupportWarning on Node < 22 when a client
 * is made (@aws-sdk/core, emitWarningIfUnsupportedVersion): it concerns SDK
 * releases after January 2027, not the pinned one, and would land in every
 * run's log. The variable it honours is set only while the client is built.
 */
function withoutNodeVersionWarning<T>(make: () => T): T {
  const name = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const before = process.env[name];
  process.env[name] = 'true';
  try {
    return make();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}
