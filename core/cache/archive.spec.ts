import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { sha256 } from '../hash/sha256';
import { ArchiveRefused, collectMembers, extractArchive, packArchive, type ExpectedContents } from './archive';
import type { ManifestFile } from './manifest';

let sandbox: string;
let ws: string;
beforeEach(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'specthis-archive-'));
  ws = join(sandbox, 'ws');
  mkdirSync(ws);
});
afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

/** Every path under `dir`, relative and sorted; symlinks are listed, not followed. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      out.push(d.isDirectory() ? `${child}/` : child);
      if (d.isDirectory()) walk(child);
    }
  };
  walk('');
  return out.sort();
}

function write(rel: string, content: string | Buffer, mode = 0o644) {
  const abs = join(ws, rel);
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, content);
  chmodSync(abs, mode);
}

describe('packArchive and extractArchive', () => {
  it('round-trip a result directory and an export file, byte for byte, with modes, deterministically', async () => {
    write('results/fit/out.json', '{"beta": 1.5}\n');
    write('results/fit/plots/a.png', randomBytes(200 * 1024)); // incompressible: stored at level 0
    write('results/fit/run.sh', '#!/bin/sh\n', 0o775);
    write('results/fit/empty.txt', '');
    mkdirSync(join(ws, 'results/fit/empty-dir'));
    const long = `results/fit/${'deep/'.repeat(40)}name.json`; // past ustar's 255 bytes: a pax header
    write(long, '{}');
    write('reports/tables/t.tex', 'x'.repeat(100_000));
    const roots = ['reports/tables/t.tex', 'results/fit', 'results/absent'];

    const packed = await packArchive(ws, roots, join(sandbox, 'a.tar.gz'));
    const again = await packArchive(ws, roots, join(sandbox, 'b.tar.gz'));
    expect(again.sha256).toBe(packed.sha256);
    expect(packed.sha256).toBe(sha256(readFileSync(join(sandbox, 'a.tar.gz'))));
    expect(packed.size).toBe(statSync(join(sandbox, 'a.tar.gz')).size);
    expect(packed.directories).toEqual(['results/fit', ...dirsOf(long), 'results/fit/empty-dir', 'results/fit/plots'].sort());
    expect(packed.files.map((f) => [f.path, f.mode])).toEqual([
      ['reports/tables/t.tex', 0o644],
      ['results/fit/' + 'deep/'.repeat(40) + 'name.json', 0o644],
      ['results/fit/empty.txt', 0o644],
      ['results/fit/out.json', 0o644],
      ['results/fit/plots/a.png', 0o644],
      ['results/fit/run.sh', 0o755],
    ]);
    for (const f of packed.files) expect(f.sha256).toBe(sha256(readFileSync(join(ws, f.path))));
    // System tar reads it too: it is an ordinary tar.gz.
    expect(execFileSync('tar', ['-tzf', join(sandbox, 'a.tar.gz')], { encoding: 'utf8' })).toContain('results/fit/run.sh');

    const dest = join(sandbox, 'dest');
    mkdirSync(dest);
    await extractArchive(join(sandbox, 'a.tar.gz'), dest, { files: packed.files, directories: packed.directories, roots });
    for (const f of packed.files) {
      expect(readFileSync(join(dest, f.path)).equals(readFileSync(join(ws, f.path)))).toBe(true);
      expect(statSync(join(dest, f.path)).mode & 0o7777).toBe(f.mode);
    }
    expect(statSync(join(dest, 'results/fit/empty-dir')).isDirectory()).toBe(true);
  });

  it('compresses what compresses', async () => {
    write('results/r/data.csv', '1,2,3,4\n'.repeat(100_000));
    const packed = await packArchive(ws, ['results/r'], join(sandbox, 'a.tar.gz'));
    expect(packed.size).toBeLessThan(20_000);
  });

  it.each([
    ['symlink', () => symlinkSync('/etc/passwd', join(ws, 'results/r/x')), 'symlink results/r/x refused'],
    ['symlinked root', () => symlinkSync(join(ws, 'results/r'), join(ws, 'results/link')), 'symlink results/link refused'],
    ['FIFO', () => execFileSync('mkfifo', [join(ws, 'results/r/fifo')]), 'FIFO results/r/fifo refused'],
  ])('refuses to pack a %s among the outputs, naming the path', async (_name, make, message) => {
    write('results/r/ok.json', '{}');
    make();
    const roots = _name === 'symlinked root' ? ['results/link'] : ['results/r'];
    await expect(packArchive(ws, roots, join(sandbox, 'a.tar.gz'))).rejects.toThrow(
      new RegExp(`^${message}: the cache stores regular files and directories only; `),
    );
    await expect(collectMembers(ws, roots)).rejects.toBeInstanceOf(ArchiveRefused);
  });
});

/** The directories between results/fit and the file at `path`. */
function dirsOf(path: string): string[] {
  const out: string[] = [];
  for (let p = path.slice(0, path.lastIndexOf('/')); p !== 'results/fit'; p = p.slice(0, p.lastIndexOf('/'))) out.push(p);
  return out;
}

interface Crafted {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO' | 'CharacterDevice' | 'BlockDevice';
  body?: Buffer | string;
  mode?: number;
  linkpath?: string;
  /** Header size when it should lie about the body. */
  size?: number;
}

/** A tar.gz made member by member with node-tar's Header, so it can hold anything a hostile pusher could write. */
function craft(members: Crafted[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const body = Buffer.from(m.body ?? '');
    const h = new Header({
      path: m.path,
      type: m.type ?? 'File',
      mode: m.mode ?? 0o644,
      size: m.size ?? (m.type && m.type !== 'File' ? 0 : body.length),
      linkpath: m.linkpath,
      mtime: new Date(0),
      devmaj: 1,
      devmin: 3,
    });
    h.encode();
    blocks.push(h.block as Buffer, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

const fileOf = (path: string, body: string, mode = 0o644): ManifestFile => ({
  path,
  size: Buffer.byteLength(body),
  sha256: sha256(body),
  mode,
});
const ROOTS = ['results/r'];
const OK: ExpectedContents = { files: [fileOf('results/r/a.json', '{"a":1}')], directories: ['results/r'], roots: ROOTS };

describe('extractArchive refuses hostile archives and writes nothing outside its folder', () => {
  const cases: [string, Crafted[], ExpectedContents, RegExp][] = [
    [
      'a ../ escape',
      [{ path: 'results/r/../../../escape', body: 'x' }],
      OK,
      /^refused member results\/r\/\.\.\/\.\.\/\.\.\/escape \("\.\." segment\)$/,
    ],
    ['a bare ../escape', [{ path: '../escape', body: 'x' }], OK, /^refused member \.\.\/escape \("\.\." segment\)$/],
    [
      'an absolute path',
      [{ path: '/tmp/specthis-absolute-escape', body: 'x' }],
      OK,
      /^refused member \/tmp\/specthis-absolute-escape \(absolute path\)$/,
    ],
    [
      'a symlink to /etc/passwd',
      [{ path: 'results/r/x', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
      OK,
      /^symlink member results\/r\/x -> \/etc\/passwd refused$/,
    ],
    [
      'a hardlink',
      [{ path: 'results/r/h', type: 'Link', linkpath: '/etc/passwd' }],
      OK,
      /^hardlink member results\/r\/h -> \/etc\/passwd refused$/,
    ],
    ['a FIFO', [{ path: 'results/r/f', type: 'FIFO' }], OK, /^FIFO member results\/r\/f refused$/],
    ['a character device', [{ path: 'results/r/null', type: 'CharacterDevice' }], OK, /^character device member results\/r\/null refused$/],
    ['a block device', [{ path: 'results/r/sda', type: 'BlockDevice' }], OK, /^block device member results\/r\/sda refused$/],
    ['a setuid file', [{ path: 'results/r/a.json', body: '{"a":1}', mode: 0o4755 }], OK, /^setuid bit on results\/r\/a\.json refused$/],
    ['a setgid file', [{ path: 'results/r/a.json', body: '{"a":1}', mode: 0o2755 }], OK, /^setgid bit on results\/r\/a\.json refused$/],
    ['a sticky directory', [{ path: 'results/r/', type: 'Directory', mode: 0o1777 }], OK, /^sticky bit on results\/r\/ refused$/],
    [
      'a member outside the roots',
      [{ path: 'src/evil.py', body: 'x' }],
      OK,
      /^refused member src\/evil\.py \(outside the entry's outputs results\/r\)$/,
    ],
    [
      'more members than the manifest',
      [
        { path: 'results/r/', type: 'Directory', mode: 0o755 },
        { path: 'results/r/a.json', body: '{"a":1}' },
        { path: 'results/r/b.json', body: '{}' },
      ],
      OK,
      /^file member results\/r\/b\.json is not in the manifest$/,
    ],
    [
      'a member twice',
      [
        { path: 'results/r/a.json', body: '{"a":1}' },
        { path: 'results/r/a.json', body: '{"a":1}' },
      ],
      OK,
      /^member results\/r\/a\.json appears twice$/,
    ],
    [
      'more bytes than the manifest',
      [
        { path: 'results/r/', type: 'Directory', mode: 0o755 },
        { path: 'results/r/a.json', body: '{"a":1} and then some more' },
      ],
      OK,
      /^corrupt archive: results\/r\/a\.json is 26 bytes, the manifest says 7$/,
    ],
    [
      'a file missing from the archive',
      [{ path: 'results/r/', type: 'Directory', mode: 0o755 }],
      OK,
      /^corrupt archive: results\/r\/a\.json of the manifest is missing from it$/,
    ],
    [
      'a file extra to the manifest',
      [
        { path: 'results/r/', type: 'Directory', mode: 0o755 },
        { path: 'results/r/a.json', body: '{"a":1}' },
        { path: 'results/r/extra', body: '' },
      ],
      { ...OK, files: [...OK.files] },
      /^file member results\/r\/extra is not in the manifest$/,
    ],
    [
      'a file whose bytes differ',
      [
        { path: 'results/r/', type: 'Directory', mode: 0o755 },
        { path: 'results/r/a.json', body: '{"a":2}' },
      ],
      OK,
      /^corrupt archive: results\/r\/a\.json sha256 mismatch$/,
    ],
    [
      'a mode the manifest does not give',
      [
        { path: 'results/r/', type: 'Directory', mode: 0o755 },
        { path: 'results/r/a.json', body: '{"a":1}', mode: 0o777 },
      ],
      OK,
      /^corrupt archive: results\/r\/a\.json has mode 0o777, the manifest says 0o644$/,
    ],
    [
      'a header that claims more body than there is',
      [
        { path: 'results/r/', type: 'Directory', mode: 0o755 },
        { path: 'results/r/a.json', body: '{"a":1}', size: 5000 },
      ],
      { ...OK, files: [{ ...OK.files[0], size: 5000 }] },
      /^corrupt archive: /,
    ],
  ];
  it.each(cases)('%s', async (_name, members, expected, message) => {
    const staging = join(ws, '.specthis', 'staging', 'x');
    const dest = join(staging, 'new');
    mkdirSync(dest, { recursive: true });
    const archive = join(staging, 'archive.tar.gz');
    writeFileSync(archive, craft(members));
    const before = tree(sandbox);
    const error = await extractArchive(archive, dest, expected).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveRefused);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    // Nothing new anywhere but under the extraction folder.
    const added = tree(sandbox).filter((p) => !before.includes(p));
    expect(added.filter((p) => !p.startsWith(`${relative(sandbox, dest)}/`))).toEqual([]);
    expect(tree(dest).filter((p) => /escape|passwd|null|sda|\/f$|\/h$|\/x$/.test(p))).toEqual([]);
    expect(existsSync('/tmp/specthis-absolute-escape')).toBe(false);
  });

  it('flipped bytes in the archive', async () => {
    const body = randomBytes(64 * 1024).toString('base64');
    const good = craft([
      { path: 'results/r/', type: 'Directory', mode: 0o755 },
      { path: 'results/r/a.json', body },
    ]);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)] ^= 0xff;
    const archive = join(sandbox, 'bad.tar.gz');
    writeFileSync(archive, bad);
    const dest = join(sandbox, 'dest');
    mkdirSync(dest);
    await expect(
      extractArchive(archive, dest, { files: [fileOf('results/r/a.json', body)], directories: ['results/r'], roots: ROOTS }),
    ).rejects.toThrow(/^corrupt archive: /);
  });

  it('not an archive at all, and a compressed archive inside the archive', async () => {
    const dest = join(sandbox, 'dest');
    mkdirSync(dest);
    writeFileSync(join(sandbox, 'junk'), randomBytes(4096));
    await expect(extractArchive(join(sandbox, 'junk'), dest, OK)).rejects.toThrow(/^corrupt archive: /);
    writeFileSync(join(sandbox, 'nested'), gzipSync(craft([{ path: 'results/r/a.json', body: '{"a":1}' }])));
    await expect(extractArchive(join(sandbox, 'nested'), dest, OK)).rejects.toThrow(/^refused: a compressed archive inside the archive$/);
  });

  it('a decompression bomb stops at what the manifest allows', async () => {
    const dest = join(sandbox, 'dest');
    mkdirSync(dest);
    // 64 MiB of zeros claimed as a 7-byte file's neighbour: it gzips to ~64 KiB.
    writeFileSync(join(sandbox, 'bomb'), craft([{ path: 'results/r/a.json', body: Buffer.alloc(64 * 1024 * 1024) }]));
    await expect(extractArchive(join(sandbox, 'bomb'), dest, OK)).rejects.toThrow(/^corrupt archive: /);
    expect(tree(dest).length).toBeLessThanOrEqual(2);
  });
});
