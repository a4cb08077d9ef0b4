import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlib, createGunzip, createGzip, deflateRawSync, type Gzip, type ZlibParams } from 'node:zlib';
import { Header, Parser, Pax, type ReadEntry } from 'tar';
import type { ManifestFile } from './manifest';
import { byPath, insideRoots, relativePathProblem } from './paths';

/**
 * The results cache's archives (DESIGN.md §8): gzip-compressed tar, paths
 * relative to the workspace root, regular files and directories only.
 *
 * Writing: node-tar's Header and Pax encode each member; the bytes are this
 * module's own, so every file is read once, hashed as it goes into the archive,
 * and the archive is hashed as it is written. The archive is deterministic:
 * members sorted, mtime 0, uid/gid 0, files 0o644 or 0o755 (executable or
 * not), directories 0o755, and a compression level chosen from the content alone, so equal
 * outputs give equal archives (two pushers of one entry upload the same bytes).
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
  /** zlib level for compressible files; default 6. Files that do not compress (see below) are stored at level 0. */
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
export const DEFAULT_GZIP_LEVEL = 6;
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

/** Writes the roots' members as a tar.gz to `dest`, hashing every file and the archive as they are written. */
export async function packArchive(root: string, roots: readonly string[], dest: string, options: PackOptions = {}): Promise<PackedArchive> {
  const level = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
  const members = await collectMembers(root, roots);
  const gzip = createGzip({ level, chunkSize: CHUNK }) as Gzip & ZlibParams;
  const archiveHash = createHash('sha256');
  let size = 0;
  const written = pipeline(
    gzip,
    new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        archiveHash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(dest, { mode: 0o644 }),
  );
  // A failed write ends the pipeline early; remember it so the writes below stop waiting for 'drain'.
  let failure: unknown;
  written.catch((error: unknown) => (failure = error));
  const write = async (chunk: Buffer) => {
    if (failure) throw failure;
    if (!gzip.write(chunk)) await new Promise<void>((resolve) => (failure ? resolve() : gzip.once('drain', resolve)));
  };
  let currentLevel = level;
  const files: ManifestFile[] = [];
  const directories: string[] = [];
  try {
    for (const m of members) {
      const wanted = m.kind === 'file' ? await levelFor(m, level) : currentLevel;
      if (wanted !== currentLevel) {
        await setLevel(gzip, wanted);
        currentLevel = wanted;
      }
      for (const block of headerBlocks(m)) await write(block);
      if (m.kind === 'dir') {
        directories.push(m.path);
        continue;
      }
      files.push({ path: m.path, size: m.size, mode: m.mode, sha256: await writeBody(m, write) });
      const pad = (BLOCK - (m.size % BLOCK)) % BLOCK;
      if (pad) await write(Buffer.alloc(pad));
    }
    await write(Buffer.alloc(2 * BLOCK)); // end-of-archive marker
    gzip.end();
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return { size, sha256: archiveHash.digest('hex'), files, directories };
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

function setLevel(gzip: Gzip & ZlibParams, level: number): Promise<void> {
  return new Promise((resolve) => gzip.params(level, zlib.Z_DEFAULT_STRATEGY, () => resolve()));
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
      mkdirSync(target, { recursive: true, mode: 0o755 });
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
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
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
