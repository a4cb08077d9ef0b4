import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemNow } from './clock';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'specthis-clock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stamp = (name: string) => {
  writeFileSync(join(dir, name), name);
  return statSync(join(dir, name), { bigint: true }).mtimeNs;
};

describe('fileSystemNow', () => {
  it('reads the clock that stamps files, between a file written before and one written after, and leaves nothing behind', () => {
    const before = stamp('before');
    const now = fileSystemNow(join(dir, 'state'));
    const after = stamp('after');
    expect(now?.dev).toBe(statSync(dir, { bigint: true }).dev);
    expect(now!.ns >= before && now!.ns <= after).toBe(true);
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
  });

  it('is undefined where no file can be created', () => {
    writeFileSync(join(dir, 'not-a-directory'), '');
    expect(fileSystemNow(join(dir, 'not-a-directory', 'state'))).toBeUndefined();
  });
});
