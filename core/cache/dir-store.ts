import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, type Stats } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CacheStoreError, errorCode, errorText } from './errors';
import { keyProblem, prefixProblem, type CacheObject, type CacheStore, type Downloaded, type PutResult } from './store';

export interface DirectoryStoreOptions {
  /**
   * Create the folder on first write when it is missing. Off by default: a
   * missing shared folder usually means an unmounted network drive, and writing
   * a private cache in its place would hide that.
   */
  create?: boolean;
  /**
   * Commit with link(2) (default). `false` goes straight to the lock-folder commit,
   * for a file system whose link(2) claims success but is not atomic (tests use it too).
   */
  hardLinks?: boolean;
}

/** Errors of link(2) that mean "this file system has no hard links" (SMB without unix extensions, FAT, some FUSE mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);
/** A commit lock older than this is a crashed writer's: the critical section it guards is one stat and one rename. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/**
 * The directory store: a local folder or a shared network drive, one file per
 * key. A write goes to a dot-named temporary file in the key's own folder, is
 * fsynced, and is committed with link(2), which fails with EEXIST instead of
 * replacing: the first writer wins and a crash leaves at most a hidden
 * temporary file, never a partial object. Where the file system has no hard
 * links, a lock folder (mkdir is atomic, also on NFS and SMB) guards a
 * check-then-rename instead.
 */
export class DirectoryStore implements CacheStore {
  readonly url: string;
  private readonly create: boolean;
  private readonly hardLinks: boolean;

  constructor(
    readonly dir: string,
    options: DirectoryStoreOptions = {},
  ) {
    this.url = pathToFileURL(dir).href;
    this.create = options.create ?? false;
    this.hardLinks = options.hardLinks ?? true;
  }

  async has(key: string): Promise<boolean> {
    const path = this.path(key);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return this.absent(false);
      throw this.fail(error, 'check', key);
    }
  }

  async getToFile(key: string, dest: string, maxBytes: number): Promise<Downloaded | undefined> {
    const src = await this.openForRead(key, maxBytes);
    if (!src) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    let out;
    try {
      out = await open(dest, 'w', 0o644);
    } catch (error) {
      await src.close();
      throw new CacheStoreError(
        'io',
        this.url,
        `cannot write ${dest} while getting ${key} (${errorText(error)}); check the staging folder`,
        { cause: error },
      );
    }
    try {
      // The size was checked at open; counting again catches a file that grows while it is read.
      for await (const chunk of src.createReadStream({ highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw this.tooLarge(key, size, maxBytes);
        hash.update(chunk);
        await out.write(chunk);
      }
    } catch (error) {
      throw error instanceof CacheStoreError ? error : this.fail(error, 'get', key);
    } finally {
      await out.close();
      await src.close();
    }
    return { size, sha256: hash.digest('hex') };
  }

  async getBytes(key: string, maxBytes: number): Promise<Buffer | undefined> {
    const src = await this.openForRead(key, maxBytes);
    if (!src) return undefined;
    try {
      const bytes = await src.readFile();
      if (bytes.length > maxBytes) throw this.tooLarge(key, bytes.length, maxBytes);
      return bytes;
    } catch (error) {
      throw error instanceof CacheStoreError ? error : this.fail(error, 'get', key);
    } finally {
      await src.close();
    }
  }

  async putFile(key: string, src: string): Promise<PutResult> {
    return this.put(key, async (fd) => {
      for await (const chunk of createReadStream(src, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) await fd.write(chunk);
    });
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<PutResult> {
    return this.put(key, async (fd) => {
      for await (const chunk of body) await fd.write(chunk);
    });
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<PutResult> {
    return this.put(key, async (fd) => {
      await fd.write(bytes);
    });
  }

  async list(prefix: string): Promise<CacheObject[]> {
    const problem = prefixProblem(prefix);
    if (problem) throw new CacheStoreError('config', this.url, `${problem}; keys are made by core/cache/keys.ts`);
    // Walk only the folder the prefix's complete segments name; the rest filters by string prefix, as S3 does.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const objects: CacheObject[] = [];
    const walk = async (rel: string): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(rel ? join(this.dir, ...rel.split('/')) : this.dir);
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return rel === base ? this.absent(undefined) : undefined;
        throw this.fail(error, 'list', rel || '.');
      }
      for (const name of names.sort()) {
        // Dot-names are temporary files and commit locks of writers in progress (see `put`).
        if (name.startsWith('.')) continue;
        const key = rel ? `${rel}/${name}` : name;
        if (!key.startsWith(prefix) && !prefix.startsWith(`${key}/`)) continue;
        let st: Stats;
        try {
          st = await lstat(join(this.dir, ...key.split('/')));
        } catch {
          continue; // deleted while listing
        }
        if (st.isDirectory()) await walk(key);
        else if (st.isFile() && key.startsWith(prefix)) objects.push({ key, size: st.size, lastModified: st.mtime.toISOString() });
      }
    };
    await walk(base);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    try {
      await unlink(path);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw this.fail(error, 'delete', key);
    }
    // Empty per-signature folders go too; a folder another writer just filled stays (ENOTEMPTY).
    for (let dir = dirname(path); dir.startsWith(`${this.dir}/`) || dir.startsWith(`${this.dir}\\`); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
    }
  }

  close(): void {}

  private path(key: string): string {
    const problem = keyProblem(key);
    if (problem) throw new CacheStoreError('config', this.url, `${problem}; keys are made by core/cache/keys.ts`);
    return join(this.dir, ...key.split('/'));
  }

  /** `value` when the store's folder exists (the key is just absent), a `no-bucket` error when the folder itself is missing. */
  private async absent<T>(value: T): Promise<T> {
    try {
      if ((await stat(this.dir)).isDirectory()) return value;
    } catch {
      // reported below
    }
    throw new CacheStoreError(
      'no-bucket',
      this.url,
      `cache folder ${this.dir} does not exist (an unmounted drive?); create it (mkdir -p ${this.dir}) or fix the cache URL`,
    );
  }

  private async openForRead(key: string, maxBytes: number) {
    const path = this.path(key);
    let fd;
    try {
      // O_NOFOLLOW: a key is a file this store wrote, never a link someone planted in a shared folder.
      fd = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return this.absent(undefined);
      if (code === 'ELOOP') throw new CacheStoreError('corrupt', this.url, `${key} is a symbolic link; remove it from the cache folder`);
      throw this.fail(error, 'get', key);
    }
    const st = await fd.stat();
    if (!st.isFile()) {
      await fd.close();
      throw new CacheStoreError('corrupt', this.url, `${key} is not a regular file; remove it from the cache folder`);
    }
    if (st.size > maxBytes) {
      await fd.close();
      throw this.tooLarge(key, st.size, maxBytes);
    }
    return fd;
  }

  private async put(key: string, write: (fd: FileHandle) => Promise<void>): Promise<PutResult> {
    const final = this.path(key);
    const folder = dirname(final);
    if (!this.create) await this.absent(undefined);
    const temp = join(folder, `.${basename(final)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      try {
        const fd = await openTemp(folder, temp);
        try {
          await write(fd);
          await fd.sync();
        } finally {
          await fd.close();
        }
      } catch (error) {
        throw this.fail(error, 'put', key);
      }
      const result = await this.commit(temp, final, key);
      await syncDirectory(folder);
      return result;
    } finally {
      // The folder itself may be what failed (a file in its place): the store's error above is the one to report.
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  private async commit(temp: string, final: string, key: string): Promise<PutResult> {
    if (this.hardLinks) {
      try {
        await link(temp, final);
        return 'stored';
      } catch (error) {
        if (errorCode(error) === 'EEXIST') return 'exists';
        if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw this.fail(error, 'put', key);
      }
    }
    return this.withLock(final, key, async () => {
      if (await exists(final)) return 'exists';
      await rename(temp, final);
      return 'stored';
    });
  }

  private async withLock<T>(final: string, key: string, body: () => Promise<T>): Promise<T> {
    const lock = join(dirname(final), `.${basename(final)}.lock`);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await mkdir(lock);
        break;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw this.fail(error, 'lock', key);
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
        else if (Date.now() > deadline) {
          throw new CacheStoreError(
            'timeout',
            this.url,
            `another writer has held the commit lock of ${key} for ${Math.round(age / 1000)} s; try again`,
          );
        } else await new Promise((r) => setTimeout(r, 20));
      }
    }
    try {
      return await body();
    } catch (error) {
      throw this.fail(error, 'put', key);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }

  private tooLarge(key: string, size: number, maxBytes: number): CacheStoreError {
    return new CacheStoreError(
      'too-large',
      this.url,
      `${key} holds ${size} bytes, more than the ${maxBytes} allowed; prune the cache entry`,
    );
  }

  private fail(error: unknown, op: string, key: string): CacheStoreError {
    if (error instanceof CacheStoreError) return error;
    const code = errorCode(error);
    const denied = code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
    return new CacheStoreError(
      denied ? 'denied' : 'io',
      this.url,
      `${op} ${key} failed (${errorText(error)}); ${denied ? 'check the folder permissions' : 'check the cache folder and its disk'}`,
      { cause: error },
    );
  }
}

/** Opens a fresh temporary file; a second try covers a pruner removing the (then empty) folder between mkdir and open. */
async function openTemp(folder: string, temp: string): Promise<FileHandle> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(folder, { recursive: true });
    try {
      return await open(temp, 'wx', 0o644);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || attempt === 2) throw error;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes a commit durable; some platforms cannot open a directory, and then the OS decides (as core/receipts/atomic.ts). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fd = await open(dir, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
  } catch {
    // best effort
  }
}
