import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32, createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { relativePathProblem } from '../cache/paths';

/**
 * Whether an uploaded body is an archive Nx 24.0.6 can restore. The reader is
 * nx's http_remote_cache.rs `extract_tarball` (flate2's single-member
 * GzDecoder, tar-rs, `unpack_in`): what it cannot read it does not skip, it
 * aborts the whole `nx` run of everyone who fetches the hash (measured: a
 * truncated body, a garbage body and an archive without `code` each exit 1).
 * So nothing is stored unless all of this holds:
 *
 * - gzip (magic 1f 8b, deflate), one member only: flate2 reads the first
 *   member and no more, zlib here would read them all. The trailer's CRC-32
 *   and length must be those of everything decompressed, which is true of a
 *   single member and not of a concatenation.
 * - a tar that lists to its end, with no compressed tar inside;
 * - members: files, directories and symbolic links (what Nx's own
 *   `append_dir_all` with follow_symlinks(false) writes), plain relative
 *   paths, links that stay inside the archive (Nx refuses the rest);
 * - a `code` member of exactly 4 bytes (the big-endian exit code; Nx says
 *   "Exit code not found in cache artifact" without it), `terminalOutput`
 *   valid UTF-8 if present (Nx reads it with String::from_utf8);
 * - at most `maxUnpackedBytes` once decompressed.
 *
 * Returns the first problem as a phrase for the log, or undefined.
 */
export async function nxArchiveProblem(file: string, size: number, maxUnpackedBytes: number): Promise<string | undefined> {
  if (size < GZIP_MIN) return `${size} bytes is too short to be a gzip file`;
  const fd = await open(file, 'r');
  const head = Buffer.alloc(3);
  const trailer = Buffer.alloc(8);
  try {
    await fd.read(head, 0, 3, 0);
    await fd.read(trailer, 0, 8, size - 8);
  } finally {
    await fd.close();
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b || head[2] !== 8) return 'not a gzip file (no gzip magic)';

  let problem: string | undefined;
  const parser = new Parser({ strict: true, brotli: false, zstd: false, maxMetaEntrySize: MAX_META });
  const refuse = (reason: string) => {
    problem ??= reason;
    parser.abort(new Error(reason));
  };
  let code = 0;
  parser.on('warn', (_code: string, message: string) => refuse(`not a tar Nx can read (${message})`));
  parser.on('ignoredEntry', (e: ReadEntry) => refuse(`member ${shown(e.path)} of type ${e.type} is not one Nx restores`));
  parser.on('entry', (entry: ReadEntry) => {
    const reason = memberProblem(entry);
    if (reason) {
      entry.resume();
      return refuse(reason);
    }
    if (entry.path === 'code') {
      code++;
      if (entry.size !== 4) refuse(`member code holds ${entry.size} bytes, not the 4 of an exit code`);
    }
    if (entry.path === 'terminalOutput') {
      const utf8 = new TextDecoder('utf-8', { fatal: true });
      entry.on('data', (chunk: Buffer) => {
        try {
          utf8.decode(chunk, { stream: true });
        } catch {
          refuse('member terminalOutput is not UTF-8');
        }
      });
      entry.on('end', () => {
        try {
          utf8.decode();
        } catch {
          refuse('member terminalOutput is not UTF-8');
        }
      });
      return;
    }
    entry.resume();
  });

  let crc = 0;
  let unpacked = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (unpacked === 0 && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b)
        return done(new Refused('a compressed file inside the gzip, not a tar'));
      unpacked += chunk.length;
      if (unpacked > maxUnpackedBytes) return done(new Refused(`it unpacks to more than ${maxUnpackedBytes} bytes`));
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  await new Promise<void>((resolve) => {
    const stop = (error: unknown) => {
      source.destroy();
      gunzip.destroy();
      tap.destroy();
      problem ??= error instanceof Refused ? error.message : `cannot read it (${error instanceof Error ? error.message : String(error)})`;
      resolve();
    };
    source.on('error', stop);
    tap.on('error', stop);
    gunzip.on('error', (error) => stop(new Refused(`not a complete gzip file (${error.message})`)));
    // node-tar's Parser is not a Node stream: abort() emits 'error', and 'end' follows the last member.
    parser.on('error', (error: Error) => stop(new Refused(`not a tar Nx can read (${error.message})`)));
    parser.on('end', () => resolve());
    source
      .pipe(gunzip)
      .pipe(tap)
      .pipe(parser as unknown as NodeJS.WritableStream);
  });
  if (problem) return problem;
  if (unpacked === 0) return 'the gzip holds nothing';
  if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== unpacked % 2 ** 32)
    return 'more than one gzip member (Nx reads only the first)';
  if (code !== 1) return code === 0 ? 'no member code (the exit code Nx restores)' : 'member code appears twice';
  return undefined;
}

/** A gzip header (10 bytes), an empty deflate block and the trailer (8). */
const GZIP_MIN = 18;
/** Pax and long-name records: a path or link target, never more. */
const MAX_META = 64 * 1024;
const ALLOWED = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink']);

function memberProblem(entry: ReadEntry): string | undefined {
  const name = shown(entry.path);
  if (!ALLOWED.has(entry.type)) return `member ${name} of type ${entry.type} is not one Nx restores`;
  const path = entry.type === 'Directory' ? entry.path.replace(/\/+$/, '') : entry.path;
  const problem = relativePathProblem(path);
  if (problem) return `member ${name}: ${problem}`;
  if ((path === 'code' || path === 'terminalOutput') && entry.type !== 'File' && entry.type !== 'OldFile')
    return `member ${name} is a ${entry.type}, not a file`;
  if (entry.type === 'SymbolicLink') {
    const target = entry.linkpath ?? '';
    const resolved = posix.normalize(posix.join(posix.dirname(path), target));
    if (target === '' || target.startsWith('/') || resolved === '..' || resolved.startsWith('../'))
      return `link ${name} -> ${shown(target)} points outside the archive`;
  }
  return undefined;
}

class Refused extends Error {}

/** A member path as a log line can hold it: control characters escaped, at most 200 characters. */
function shown(path: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this escapes
  const text = /[\0-\x1f\x7f]/.test(path) ? JSON.stringify(path) : path;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
