import { sha256 } from '../hash/sha256';
import { checkManifest, MANIFEST_FORMAT, parseManifest, type Manifest } from './manifest';

const SIG = 'f'.repeat(64);
const ROOTS = ['reports/t.tex', 'results/r'];
const file = (path: string, mode = 0o644) => ({ path, size: path.length, sha256: sha256(path), mode });

function manifest(): Manifest {
  const files = [file('reports/t.tex'), file('results/r/a.json'), file('results/r/sub/b.bin', 0o755)];
  return {
    format: MANIFEST_FORMAT,
    entry: 'e1',
    signature: SIG,
    roots: ROOTS,
    archive: { sha256: 'a'.repeat(64), size: 1234 },
    files,
    directories: ['results/r', 'results/r/sub'],
    toolVersion: '0.1.0',
    host: 'ci',
    createdAt: '2025-01-01T00:00:00.000Z',
    receipt: {
      entry: 'e1',
      signature: SIG,
      command: 'run',
      exitCode: 0,
      start: 's',
      end: 'e',
      durationMs: 1,
      host: 'ci',
      outputs: files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
      inputs: { digest: 'd', components: [] },
      upstream: [],
    },
  };
}
const expectFor = { entry: 'e1', signature: SIG, roots: ['results/r', 'reports/t.tex'] };
const problem = (m: unknown) => {
  const r = checkManifest(m, expectFor);
  return r.ok ? 'ok' : r.problem;
};

describe('checkManifest', () => {
  it('accepts a well-formed manifest, roots in any order', () => {
    expect(problem(manifest())).toBe('ok');
    expect(parseManifest(Buffer.from(JSON.stringify(manifest())), expectFor).ok).toBe(true);
  });

  it.each<[string, (m: Manifest) => unknown, string]>([
    ['not an object', () => [], 'not a JSON object'],
    ['a missing field', ({ host: _h, ...m }) => m, 'fields missing host'],
    [
      'a newer format',
      (m) => ({ ...m, format: 'specthis-cache/2' }),
      'format "specthis-cache/2", expected specthis-cache/1 (a newer specthis wrote it?)',
    ],
    ['a bad date', (m) => ({ ...m, createdAt: 'yesterday' }), 'createdAt is not a date'],
    ['an archive with extra fields', (m) => ({ ...m, archive: { ...m.archive, etag: 'x' } }), 'archive is not { sha256, size }'],
    [
      'an archive digest that is not SHA-256',
      (m) => ({ ...m, archive: { ...m.archive, sha256: 'ABC' } }),
      'archive.sha256 is not a SHA-256',
    ],
    ['an empty archive', (m) => ({ ...m, archive: { ...m.archive, size: 0 } }), 'archive.size is not a positive integer'],
    ['unsorted files', (m) => ({ ...m, files: [m.files[1], m.files[0], m.files[2]] }), 'file paths are not sorted at reports/t.tex'],
    ['a file twice', (m) => ({ ...m, files: [m.files[0], m.files[0]] }), 'file path reports/t.tex is listed twice'],
    ['a file also a directory', (m) => ({ ...m, files: [file('results/r/sub')] }), 'file path results/r/sub is listed twice'],
    ['an absolute path', (m) => ({ ...m, files: [file('/etc/passwd')] }), 'file path "/etc/passwd": absolute path'],
    ['a path outside the roots', (m) => ({ ...m, files: [file('src/x.py')] }), "file path src/x.py is outside the entry's outputs"],
    [
      'a file in an unlisted directory',
      (m) => ({ ...m, directories: ['results/r'] }),
      'results/r/sub/b.bin lies in results/r/sub, which is not among its directories',
    ],
    ['a negative size', (m) => ({ ...m, files: [{ ...m.files[0], size: -1 }] }), 'file reports/t.tex: size is not a non-negative integer'],
    [
      'a fractional size',
      (m) => ({ ...m, files: [{ ...m.files[0], size: 1.5 }] }),
      'file reports/t.tex: size is not a non-negative integer',
    ],
    [
      'a world-writable mode',
      (m) => ({ ...m, files: [{ ...m.files[0], mode: 0o666 }] }),
      'file reports/t.tex: mode 438 is not 0o644 or 0o755',
    ],
    [
      'a file with extra fields',
      (m) => ({ ...m, files: [{ ...m.files[0], linkpath: '/etc' }] }),
      'a file is not { path, size, sha256, mode }',
    ],
    ['a malformed receipt', (m) => ({ ...m, receipt: { ...m.receipt, exitCode: '0' } }), 'receipt is not a well-formed receipt'],
    [
      'a receipt of another entry',
      (m) => ({ ...m, receipt: { ...m.receipt, entry: 'e2' } }),
      'its receipt is for another entry or signature',
    ],
    [
      'a receipt whose digests differ',
      (m) => ({ ...m, receipt: { ...m.receipt, outputs: m.receipt.outputs.map((o) => ({ ...o, sha256: '0'.repeat(64) })) } }),
      "its receipt's outputs are not its files",
    ],
  ])('refuses %s', (_name, change, expected) => {
    expect(problem(change(manifest()))).toBe(expected);
  });
});
