import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { readBytes } from '../fs/read';
import { firstInvalidUtf8 } from '../spec/decode';
import { LockFileError } from './errors';
import { formatLock } from './format';
import { fileAgeMs, holderIsStale, readHolder } from './holder';
import { withExclusiveFile, type ExclusiveOptions } from './mutex';
import { parseLock } from './parse';
import { LOCK_FILE, lockFilePath, lockFileRel, type Lock } from './types';

/** Temporary files of lock writes (`._lock.json.<pid>.<rand>.tmp`) and of lock-file creation (`._lock.json.lock…`). */
const DATA_TEMP = /^\._lock\.json\.\d+\.[0-9a-z]*\.tmp$/;
const MUTEX_TEMP = /^\._lock\.json\.lock(\.break)?\.\d+\.[0-9a-z]*\.tmp$/;
const ORPHAN_AGE_MS = 60_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The lock of a workspace: `{}` when the file does not exist (nothing certified).
 * A file that exists but cannot be read (a directory, no permission, not UTF-8)
 * or does not parse throws a LockFileError naming the file and the line, which
 * every front end prints as a diagnostic, never as a stack.
 */
export function readLock(root: string, specsDir: string): Lock {
  const file = lockFileRel(specsDir);
  const unreadable = (reason: string, line = 0): never => {
    throw new LockFileError(file, {
      line,
      reason,
      rule: 'lock-unreadable',
      expected: 'a readable UTF-8 JSON file (restore it: git checkout -- ' + file + ')',
    });
  };
  let bytes: Buffer;
  try {
    bytes = readBytes(lockFilePath(root, specsDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    return unreadable(
      code === 'EISDIR' ? `${file} is a directory, not a file` : `${file} cannot be read (${code ?? (error as Error).message})`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return unreadable(`${file} is not UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad})`, lineOf(bytes, bad));
  }
  return parseLock(text, file);
}

function lineOf(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

export interface LockUpdate {
  before: Lock;
  after: Lock;
  /** False when the new content equals the old bytes (nothing rewritten). */
  written: boolean;
}

/**
 * Read-modify-write of the lock under `<lock>.lock`, so concurrent certifications
 * all land; the new text replaces the file atomically, so a crash leaves the old
 * lock or the new one. A lock that does not parse is never overwritten: other
 * people's records would be lost with it.
 */
export function updateLock(root: string, specsDir: string, mutate: (lock: Lock) => Lock, options?: ExclusiveOptions): LockUpdate {
  const path = lockFilePath(root, specsDir);
  return withExclusiveFile(
    `${path}.lock`,
    () => {
      removeOrphans(dirname(path));
      const before = readLock(root, specsDir);
      const after = mutate(structuredClone(before));
      const text = formatLock(after);
      const unchanged = currentText(path) === text || (Object.keys(after).length === 0 && currentText(path) === undefined);
      if (!unchanged) writeFileAtomic(path, text);
      return { before, after, written: !unchanged };
    },
    options,
  );
}

function currentText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Temporary files a killed writer left behind. Called under the lock: no one
 * else is writing the lock then, so any data temp file is an orphan; lock-taking
 * temp files belong to waiters and are removed only when the process that wrote
 * one died on this host, or once they are old.
 */
function removeOrphans(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`.${LOCK_FILE}`)) continue;
    const abs = join(dir, name);
    if (DATA_TEMP.test(name) || (MUTEX_TEMP.test(name) && holderIsStale(readHolder(abs), fileAgeMs(abs), ORPHAN_AGE_MS)))
      rmSync(abs, { force: true });
  }
}
