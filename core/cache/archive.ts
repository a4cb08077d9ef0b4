import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { lstat, open, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createGunzip, createGzip, deflateRawSync, type Gzip } from 'node:zlib';
import { Header, Parser, Pax, type ReadEntry } from 'tar';
import type { ManifestFile } from './manifest';
import { byPath, insideRoots, relativePathProblem } from './paths';

/**
 * The results cache's archives (docs/architecture.md, "Results cache"): gzip-compressed tar, paths
 * relative to the workspace root, regular files and directories only.
 *
 * Writing: node-tar's Header and Pax encode each member; the bytes are this
 * module's own, so every file is read once, hashed as it goes into the archive,
 * and the archive is hashed as it is written. The archive is deterministic:
 * members sorted, mtime 0, uid/gid 0, files 0o644 or 0o755 (executable or
 * not), directories 0o755, and a compression level chosen from the content
 * alone, so equal outputs give equal archives on one Node version (two pushers
 * of one entry upload the same bytes).
 * Already-compressed files (PNG, parquet, npz, …) are stored at level 0, in a
 * gzip member of their own: deflating 200 MB of them costs seconds and saves nothing.
 *
 * Reading: node-tar's Parser reads members, and this module decides and writes
 * every one itself. `tar.x` is not used: it only warns about bad members and
 * keeps setuid bits when run as root.
 */

/** A refusal to pack or to unpack, with a one-line reason naming the path. */
export class ArchiveRefused extends Error {
  override readonly name = 'ArchiveRefused';
  constructor(
    /** `outputs`: what is on disk cannot be archived; `refused`: a member the allow-list rejects; `corrupt`: bytes that disagree with the manifest. */
    readonly kind: 'outputs' | 'refused' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}

export interface PackOptions {
  /** zlib level for compressible files; default 1 (bench/README.md: level 6 took twice as long for 8% less). Files that do not compress are stored at level 0. */
  gzipLevel?: number;
}

export interface PackedArchive {
  size: number;
  sha256: string;
  files: ManifestFile[];
  directories: string[];
}

const MTIME = new Date(0);
const BLOCK = 512;
const CHUNK = 1 << 20;
/** Files at least this big are sampled: deflating their first 64 KiB tells whether compressing the rest pays. */
const SAMPLE = 64 * 1024;
/** A sample that deflates to more than this share of its size is already compressed (PNG, parquet, npz, …). */
const INCOMPRESSIBLE = 0.95;
export const DEFAULT_GZIP_LEVEL = 1;
/** Files up to this size are read whole, READ_AHEAD of them ahead of the writer. */
const SMALL_FILE = 256 * 1024;
const READ_AHEAD = 32;
/** What zlib writes at the start of a gzip member (RFC 1952): magic, deflate, no flags, mtime 0, OS 3 (Unix). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
const STORED_BLOCK = 0xffff;
/** Pax records are a few hundred bytes for our own archives; a megabyte of them is an attack, not a path. */
const MAX_META = 64 * 1024;

interface Member {
  path: string;
  abs: string;
  kind: 'file' | 'dir';
  size: number;
  mode: number;
}

/**
 * Lists what the roots hold, refusing anything but regular files and
 * directories (a symlink could pull in files outside the outputs, or plant a
 * link on restore). Absent roots contribute nothing.
 */
export async function collectMembers(root: string, roots: readonly string[]): Promise<Member[]> {
  const members: Member[] = [];
  const visit = async (path: string): Promise<void> => {
    const abs = join(root, path);
    let st;
    try {
      st = await lstat(abs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && roots.includes(path)) return;
      throw error;
    }
    if (st.isSymbolicLink()) {
      throw new ArchiveRefused(
        'outputs',
        `symlink ${path} refused: the cache stores regular files and directories only; replace it with a copy of its target`,
      );
    }
    if (st.isDirectory()) {
      members.push({ path, abs, kind: 'dir', size: 0, mode: 0o755 });
      for (const name of await readdir(abs)) await visit(`${path}/${name}`);
    } else if (st.isFile()) {
      members.push({ path, abs, kind: 'file', size: st.size, mode: st.mode & 0o111 ? 0o755 : 0o644 });
    } else {
      throw new ArchiveRefused(
        'outputs',
        `${specialKind(st)} ${path} refused: the cache stores regular files and directories only; remove it from the outputs`,
      );
    }
  };
  for (const r of roots) await visit(r);
  return members.sort((a, b) => byPath(a.path, b.path));
}

/**
 * Writes the roots' members as a tar.gz to `dest` (a file path, or a stream such
 * as an upload's body), hashing every file and the archive as they are written.
 * A refusal (a symlink, a special file) comes before the first byte; a file
 * that changes while it is read fails the stream.
 */
export async function packArchive(
  root: string,
  roots: readonly string[],
  dest: string | Writable,
  options: PackOptions = {},
): Promise<PackedArchive> {
  const level = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
  let members: Member[];
  try {
    members = await collectMembers(root, roots);
  } catch (error) {
    // Refused before the first byte: a stream's consumer (an upload) must not wait for bytes that will not come.
    if (typeof dest !== 'string') dest.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  const out = new ArchiveWriter(dest, level);
  const files: ManifestFile[] = [];
  const directories: string[] = [];
  // Small files are read a window ahead of the writer: thousands of 10 KB files are bound by file-system latency, not bytes.
  const small = members.filter((m) => m.kind === 'file' && m.size <= SMALL_FILE);
  const reads = new Map<Member, Promise<Buffer>>();
  let next = 0;
  const readAhead = () => {
    for (; next < small.length && reads.size < READ_AHEAD; next++) {
      const read = readFile(small[next].abs);
      read.catch(() => undefined); // awaited in order below; this only keeps an early failure from going unhandled
      reads.set(small[next], read);
    }
  };
  try {
    for (const m of members) {
      if (m.kind === 'file') await out.setLevel(await levelFor(m, level));
      for (const block of headerBlocks(m)) await out.write(block);
      if (m.kind === 'dir') {
        directories.push(m.path);
        continue;
      }
      readAhead();
      const read = reads.get(m);
      reads.delete(m);
      const sha256 = read ? await writeSmall(m, await read, (chunk) => out.write(chunk)) : await writeBody(m, (chunk) => out.write(chunk));
      files.push({ path: m.path, size: m.size, mode: m.mode, sha256 });
      const pad = (BLOCK - (m.size % BLOCK)) % BLOCK;
      if (pad) await out.write(Buffer.alloc(pad));
    }
    await out.write(Buffer.alloc(2 * BLOCK)); // end-of-archive marker
    await out.finish();
  } catch (error) {
    out.destroy(error);
    throw error;
  } finally {
    await Promise.allSettled(reads.values());
  }
  return { size: out.size, sha256: out.hash.digest('hex'), files, directories };
}

/**
 * Tar bytes in, gzip out to a file or stream, hashed as written. Small writes
 * (headers, padding, 10 KB files) are gathered into 1 MiB chunks: each write
 * to a zlib stream is a trip to the thread pool. A change of level ends the
 * gzip member and starts another: a file of several members is one gzip
 * stream to every reader (RFC 1952 section 2.2; gunzip; node's zlib). zlib's
 * params() would switch in place, but on Node 20 it kept level-6 speed on
 * incompressible data (measured: 1.2 s for 50 MB switched to level 0, 0.13 s
 * for a stream made at level 0).
 *
 * Level 0 members are framed here, not by zlib: stored deflate blocks (RFC
 * 1951 section 3.2.4) around the bytes, and zlib.crc32 for the trailer. zlib's
 * own level 0 still runs every byte through its window: 0.5 s of CPU for 200 MB,
 * which on a busy machine is a fifth of the upload.
 */
class ArchiveWriter {
  readonly hash = createHash('sha256');
  size = 0;
  private readonly tap: Transform;
  private readonly written: Promise<void>;
  private failure: unknown;
  private gzip: Gzip | undefined;
  /** The level-0 member being written: CRC-32 and length of its bytes so far. */
  private stored: { crc: number; size: number } | undefined;
  private level: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(dest: string | Writable, level: number) {
    this.level = level;
    this.tap = new Transform({
      transform: (chunk: Buffer, _enc, done: TransformCallback) => {
        this.hash.update(chunk);
        this.size += chunk.length;
        done(null, chunk);
      },
    });
    this.written = pipeline(this.tap, typeof dest === 'string' ? createWriteStream(dest, { mode: 0o644 }) : dest);
    // A failed write ends the pipeline early; remember it so no write waits for a 'drain' that will not come.
    this.written.catch((error: unknown) => {
      this.failure ??= error;
      this.gzip?.destroy();
    });
  }

  async setLevel(level: number): Promise<void> {
    if (level === this.level) return;
    await this.flush();
    await this.endMember();
    this.level = level;
  }

  async write(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= CHUNK) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.endMember();
    this.tap.end();
    await this.written;
  }

  destroy(error: unknown): void {
    this.gzip?.destroy();
    // With the error, so a consumer of the stream (an upload) fails instead of storing a short archive.
    this.tap.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.level === 0) return this.writeStored(data);
    if (!this.gzip) {
      this.gzip = createGzip({ level: this.level, chunkSize: CHUNK });
      this.gzip.on('error', (error) => (this.failure ??= error));
      this.gzip.pipe(this.tap, { end: false });
    }
    if (!this.gzip.write(data)) await this.settled(this.gzip, 'drain');
  }

  private async writeStored(data: Buffer): Promise<void> {
    if (!this.stored) {
      this.stored = { crc: 0, size: 0 };
      await this.emit(GZIP_HEADER);
    }
    this.stored.crc = crc32(data, this.stored.crc);
    this.stored.size += data.length;
    const blocks = Math.ceil(data.length / STORED_BLOCK);
    const framed = Buffer.allocUnsafe(data.length + 5 * blocks);
    let at = 0;
    for (let from = 0; from < data.length; from += STORED_BLOCK) {
      const n = Math.min(STORED_BLOCK, data.length - from);
      framed[at] = 0; // BFINAL 0, BTYPE 00: stored
      framed.writeUInt16LE(n, at + 1);
      framed.writeUInt16LE(~n & 0xffff, at + 3);
      data.copy(framed, at + 5, from, from + n);
      at += 5 + n;
    }
    await this.emit(framed);
  }

  private async emit(chunk: Buffer): Promise<void> {
    if (!this.tap.write(chunk)) await this.settled(this.tap, 'drain');
  }

  private async endMember(): Promise<void> {
    const stored = this.stored;
    if (stored) {
      this.stored = undefined;
      const trailer = Buffer.alloc(13);
      trailer.set([1, 0, 0, 0xff, 0xff]); // an empty final stored block
      trailer.writeUInt32LE(stored.crc >>> 0, 5);
      trailer.writeUInt32LE(stored.size % 2 ** 32, 9);
      return this.emit(trailer);
    }
    const gzip = this.gzip;
    if (!gzip) return;
    this.gzip = undefined;
    const ended = this.settled(gzip, 'end');
    gzip.end();
    await ended;
  }

  /** Resolves on `event`, rejects when the gzip member or the file fails first. */
  private settled(stream: Gzip | Transform, event: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: unknown) => {
        stream.off(event, onEvent);
        stream.off('error', done);
        stream.off('close', onClose);
        const failure = this.failure ?? error;
        if (failure) reject(failure);
        else resolve();
      };
      const onEvent = () => done();
      const onClose = () => (this.failure ? done() : undefined);
      stream.on(event, onEvent);
      stream.on('error', done);
      stream.on('close', onClose);
    });
  }
}

function headerBlocks(m: Member): Buffer[] {
  const path = m.kind === 'dir' ? `${m.path}/` : m.path;
  const data = { path, mode: m.mode, size: m.size, mtime: MTIME, uid: 0, gid: 0, uname: '', gname: '' } as const;
  const header = new Header({ ...data, type: m.kind === 'dir' ? 'Directory' : 'File' });
  // encode() answers whether the fields overflow ustar (a path past 255 bytes): then a pax header carries them.
  const needPax = header.encode();
  const blocks: Buffer[] = needPax ? [new Pax({ path, size: m.size, mtime: MTIME }).encode()] : [];
  if (!header.block) throw new Error(`node-tar encoded no header for ${path}`);
  blocks.push(header.block);
  return blocks;
}

/** Writes a file read whole; its size must still be the one listed. */
async function writeSmall(m: Member, bytes: Buffer, write: (chunk: Buffer) => Promise<void>): Promise<string> {
  if (bytes.length !== m.size) throw changed(m);
  await write(bytes);
  return createHash('sha256').update(bytes).digest('hex');
}

function changed(m: Member): ArchiveRefused {
  return new ArchiveRefused(
    'outputs',
    `${m.path} changed while it was archived (${m.size} bytes when listed); push again once the entry is done`,
  );
}

/** Streams exactly `m.size` bytes of the file into the archive and returns their SHA-256; a file that changed size meanwhile is refused. */
async function writeBody(m: Member, write: (chunk: Buffer) => Promise<void>): Promise<string> {
  const hash = createHash('sha256');
  const fd = await open(m.abs, 'r');
  try {
    let done = 0;
    while (done < m.size) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, m.size - done));
      const { bytesRead } = await fd.read(buffer, 0, buffer.length, done);
      if (bytesRead === 0) break;
      const chunk: Buffer = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      hash.update(chunk);
      await write(chunk);
      done += bytesRead;
    }
    const extra = await fd.read(Buffer.alloc(1), 0, 1, m.size);
    if (done !== m.size || extra.bytesRead !== 0) {
      throw new ArchiveRefused(
        'outputs',
        `${m.path} changed while it was archived (${m.size} bytes when listed); push again once the entry is done`,
      );
    }
  } finally {
    await fd.close();
  }
  return hash.digest('hex');
}

/** Level 0 (stored) for a file whose first 64 KiB barely deflate: compressing already-compressed data costs seconds and saves nothing. */
async function levelFor(m: Member, level: number): Promise<number> {
  if (level === 0 || m.size < SAMPLE) return level;
  const fd = await open(m.abs, 'r');
  try {
    const sample = Buffer.alloc(SAMPLE);
    const { bytesRead } = await fd.read(sample, 0, SAMPLE, 0);
    return deflateRawSync(sample.subarray(0, bytesRead), { level: 1 }).length > bytesRead * INCOMPRESSIBLE ? 0 : level;
  } finally {
    await fd.close();
  }
}

function specialKind(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

export interface ExpectedContents {
  files: readonly ManifestFile[];
  directories: readonly string[];
  /** Every member must lie in one of these (the entry's owned output roots). */
  roots: readonly string[];
}

const REFUSED_TYPES: Record<string, string> = {
  SymbolicLink: 'symlink',
  Link: 'hardlink',
  CharacterDevice: 'character device',
  BlockDevice: 'block device',
  FIFO: 'FIFO',
};

/**
 * Unpacks `archive` into the empty folder `dest`, admitting only what the
 * manifest lists: File and Directory members, relative paths without `..`,
 * inside the roots, no setuid/setgid/sticky bits, each file with the manifest's
 * size, mode and SHA-256, every listed member present exactly once, and no
 * more decompressed bytes than those members can take. Files are written by
 * this code with the manifest's mode (0o644/0o755), directories 0o755; no link
 * is ever made, so nothing written can point outside `dest`. Throws
 * ArchiveRefused naming the first offending member; `dest` may then hold a
 * partial tree, which the caller removes.
 */
export async function extractArchive(archive: string, dest: string, expected: ExpectedContents): Promise<void> {
  const files = new Map(expected.files.map((f) => [f.path, f]));
  const directories = new Set(expected.directories);
  const seen = new Set<string>();
  const members = files.size + directories.size;
  // Headers, pax records (capped below) and padding for that many members, plus the end marker and a tar record's slack.
  const maxTarBytes =
    expected.files.reduce((n, f) => n + Math.ceil(f.size / BLOCK) * BLOCK, 0) + members * (BLOCK + MAX_META + BLOCK) + 20 * BLOCK;
  let failure: ArchiveRefused | undefined;
  const parser = new Parser({ strict: true, brotli: false, zstd: false, maxMetaEntrySize: MAX_META });
  const refuse = (kind: ArchiveRefused['kind'], message: string) => {
    failure ??= new ArchiveRefused(kind, message);
    parser.abort(failure);
  };
  parser.on('ignoredEntry', (e: ReadEntry) => refuse('refused', `member ${printable(e.path)} of type ${e.type} refused`));
  parser.on('warn', (_code: string, message: string) => refuse('corrupt', `corrupt archive: ${message}`));
  parser.on('entry', (entry: ReadEntry) => {
    try {
      admit(entry);
    } catch (error) {
      entry.resume();
      refuse(error instanceof ArchiveRefused ? error.kind : 'corrupt', error instanceof Error ? error.message : String(error));
    }
  });

  // Folders made so far: 2,000 files in one folder need one mkdir, not 2,000.
  const made = new Set<string>();
  const makeDir = (dir: string) => {
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    made.add(dir);
  };
  const admit = (entry: ReadEntry) => {
    if (failure) return entry.resume();
    const shown = printable(entry.path);
    const kind = REFUSED_TYPES[entry.type];
    if (kind)
      throw new ArchiveRefused('refused', `${kind} member ${shown}${entry.linkpath ? ` -> ${printable(entry.linkpath)}` : ''} refused`);
    if (entry.type !== 'File' && entry.type !== 'Directory')
      throw new ArchiveRefused('refused', `member ${shown} of type ${entry.type} refused`);
    const path = entry.type === 'Directory' ? entry.path.replace(/\/$/, '') : entry.path;
    const problem = relativePathProblem(path);
    if (problem) throw new ArchiveRefused('refused', `refused member ${shown} (${problem})`);
    const mode = entry.mode ?? 0;
    const special = [
      [0o4000, 'setuid'],
      [0o2000, 'setgid'],
      [0o1000, 'sticky'],
    ].find(([bit]) => mode & (bit as number));
    if (special) throw new ArchiveRefused('refused', `${special[1]} bit on ${shown} refused`);
    if (!insideRoots(path, expected.roots))
      throw new ArchiveRefused('refused', `refused member ${shown} (outside the entry's outputs ${expected.roots.join(', ')})`);
    // Each member must be listed and come once: that caps the member count at the manifest's.
    if (entry.type === 'Directory' ? !directories.has(path) : !files.has(path)) {
      throw new ArchiveRefused('refused', `${entry.type === 'Directory' ? 'directory' : 'file'} member ${shown} is not in the manifest`);
    }
    if (seen.has(path)) throw new ArchiveRefused('refused', `member ${shown} appears twice`);
    seen.add(path);
    const target = join(dest, ...path.split('/'));
    if (entry.type === 'Directory') {
      if (entry.size !== 0) throw new ArchiveRefused('corrupt', `corrupt archive: directory member ${shown} has a body`);
      makeDir(target);
      return entry.resume();
    }
    const file = files.get(path) as ManifestFile;
    if (entry.size !== file.size)
      throw new ArchiveRefused('corrupt', `corrupt archive: ${shown} is ${entry.size} bytes, the manifest says ${file.size}`);
    if ((mode & 0o777) !== file.mode) {
      throw new ArchiveRefused(
        'corrupt',
        `corrupt archive: ${shown} has mode 0o${(mode & 0o777).toString(8)}, the manifest says 0o${file.mode.toString(8)}`,
      );
    }
    makeDir(dirname(target));
    // 'wx': a second member at the same path (or one colliding by case on a case-insensitive disk) fails here.
    const fd = openSync(target, 'wx', 0o600);
    const hash = createHash('sha256');
    let bytes = 0;
    let closed = false;
    const close = () => {
      if (!closed) closeSync(fd);
      closed = true;
    };
    entry.on('data', (chunk: Buffer) => {
      if (closed) return;
      try {
        bytes += chunk.length;
        hash.update(chunk);
        writeSync(fd, chunk);
      } catch (error) {
        close();
        refuse('corrupt', `cannot write ${shown} (${error instanceof Error ? error.message : String(error)})`);
      }
    });
    entry.on('end', () => {
      if (closed) return;
      try {
        fchmodSync(fd, file.mode);
      } finally {
        close();
      }
      if (bytes !== file.size) return refuse('corrupt', `corrupt archive: ${shown} ended after ${bytes} of ${file.size} bytes`);
      if (hash.digest('hex') !== file.sha256) refuse('corrupt', `corrupt archive: ${shown} sha256 mismatch`);
    });
  };

  let tarBytes = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      // The tar inside must be plain: a second layer of compression would let a small archive unpack without bound.
      if (tarBytes === 0 && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b)
        return done(new ArchiveRefused('refused', 'refused: a compressed archive inside the archive'));
      tarBytes += chunk.length;
      if (tarBytes > maxTarBytes)
        return done(new ArchiveRefused('corrupt', `corrupt archive: it unpacks to more than the ${maxTarBytes} bytes its manifest allows`));
      done(null, chunk);
    },
  });
  const source = createReadStream(archive);
  const gunzip = createGunzip({ chunkSize: CHUNK });
  await new Promise<void>((resolve, reject) => {
    const stop = (error: unknown) => {
      source.destroy();
      gunzip.destroy();
      guard.destroy();
      reject(
        failure ??
          (error instanceof ArchiveRefused
            ? error
            : new ArchiveRefused('corrupt', `corrupt archive: ${error instanceof Error ? error.message : String(error)}`)),
      );
    };
    for (const stream of [source, gunzip, guard]) stream.on('error', stop);
    // Parser is a writable of node-tar's own (not a Node stream): abort() makes it emit 'error', and 'end' follows the last member.
    parser.on('error', stop);
    parser.on('end', () => (failure ? stop(failure) : resolve()));
    source
      .pipe(gunzip)
      .pipe(guard)
      .pipe(parser as unknown as NodeJS.WritableStream);
  });
  if (failure) throw failure;
  const missing = [...files.keys(), ...directories].filter((p) => !seen.has(p)).sort(byPath);
  if (missing.length)
    throw new ArchiveRefused(
      'corrupt',
      `corrupt archive: ${missing[0]} of the manifest is missing from it${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`,
    );
}

/** A member path as it may appear in a one-line message: control characters escaped. */
function printable(path: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this escapes
  return /[\0-\x1f\x7f]/.test(path) ? JSON.stringify(path) : path;
}
