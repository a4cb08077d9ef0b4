import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemNowNs } from './clock';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'specthis-clock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stamp = (name: string) => {
  writeFileSync(join(dir, name), name);
  return statSync(join(dir, name), { bigint: true }).mtimeNs;
};

describe('fileSystemNowNs', () => {
  it('reads the clock that stamps files, between a file written before and one written after, and leaves nothing behind', () => {
    const before = stamp('before');
    const now = fileSystemNowNs(join(dir, 'state'));
    const after = stamp('after');
    expect(now).toBeDefined();
    expect(now! >= before && now! <= after).toBe(true);
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
  });

  it('is undefined where no file can be created', () => {
    writeFileSync(join(dir, 'not-a-directory'), '');
    expect(fileSystemNowNs(join(dir, 'not-a-directory', 'state'))).toBeUndefined();
  });
});
