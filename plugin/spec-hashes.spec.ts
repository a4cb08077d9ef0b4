import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSpecFiles } from './spec-hashes';

/** Content hashes of spec files, and the links that lead out of the workspace or back into it. */
const tmp = mkdtempSync(join(tmpdir(), 'specthis-spec-hashes-'));
const root = join(tmp, 'ws');
const away = join(tmp, 'away');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(join(root, 'specs/here'), { recursive: true });
  mkdirSync(join(root, 'shared'), { recursive: true });
  mkdirSync(away, { recursive: true });
  writeFileSync(join(root, 'specs/here/compute-a.md'), 'a');
  writeFileSync(join(root, 'shared/compute-back.md'), 'back 1');
  writeFileSync(join(away, 'compute-away.md'), 'away');
  symlinkSync(join(away, 'compute-away.md'), join(root, 'specs/here/compute-link-out.md'));
  symlinkSync(away, join(root, 'specs/out'));
  // Out through a directory, then back in through the file's own link.
  symlinkSync(join(root, 'shared/compute-back.md'), join(away, 'compute-back.md'));
});

const hash = (file: string) => hashSpecFiles(root, [file])[0];

describe('hashSpecFiles', () => {
  it('hashes a spec by its content', () => {
    const before = hash('specs/here/compute-a.md');
    writeFileSync(join(root, 'specs/here/compute-a.md'), 'b');
    expect(hash('specs/here/compute-a.md')).not.toBe(before);
    writeFileSync(join(root, 'specs/here/compute-a.md'), 'a');
    expect(hash('specs/here/compute-a.md')).toBe(before);
  });

  it('keys a spec that leads out of the workspace, by its own link or its directory, by where it leads', () => {
    expect(hash('specs/here/compute-link-out.md')).toBe(`outside ${join(away, 'compute-away.md')}`);
    expect(hash('specs/out/compute-away.md')).toBe(`outside ${join(away, 'compute-away.md')}`);
  });

  it('hashes what a spec reached through an outside directory leads back to inside, as the parser reads it', () => {
    const before = hash('specs/out/compute-back.md');
    expect(before).not.toMatch(/^outside /);
    writeFileSync(join(root, 'shared/compute-back.md'), 'back 2');
    expect(hash('specs/out/compute-back.md')).not.toBe(before);
  });
});
