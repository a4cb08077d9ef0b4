import { closeSync, fstatSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';

let created = 0;

/**
 * What a file system's own clock reads now: the device and the mtime, in
 * nanoseconds, of a file created in `dir` and removed at once. Undefined when
 * `dir` cannot take a file (a read-only checkout or mount).
 *
 * A stat cache's racy-git rule compares file times with the moment a hash
 * began, so that moment must come from the clock that stamps the file, on the
 * file's own device. The machine's clock can run ahead of it: Linux stamps
 * files from a coarse clock that lags the one Date.now() reads by up to a
 * scheduler tick (5 ms seen on this project's machines), an NFS server stamps
 * them with its own clock, and some file systems keep whole seconds. A write
 * just after the moment would then carry a time before it, and a same-size
 * edit in that tick would look like the file that was hashed
 * (core/hash/stat-cache.ts).
 */
export function fileSystemNow(dir: string): { dev: bigint; ns: bigint } | undefined {
  // Its own name, created exclusively: another process's clock file could carry a later time than ours.
  // A `.tmp` name, which the live server's watcher passes over (core/serve/watcher.ts).
  const path = join(dir, `.clock.${process.pid}.${++created}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(path, 'wx');
    try {
      const st = fstatSync(fd, { bigint: true });
      return { dev: st.dev, ns: st.mtimeNs };
    } finally {
      closeSync(fd);
      rmSync(path, { force: true });
    }
  } catch {
    return undefined;
  }
}
