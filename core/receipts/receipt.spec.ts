import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { canonicalJson } from '../fs/canonical-json';
import { hashOutputs, outputsDigest, ownedFiles } from './outputs';
import { deleteReceipt, readReceipt, receiptPath, writeReceipt, type Receipt } from './receipt';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'specthis-receipts-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const receipt: Receipt = {
  upstream: [{ entry: 'clean', digest: 'missing' }],
  signature: 'ab'.repeat(32),
  outputs: [{ sha256: 'cd'.repeat(32), path: 'results/fit/out.json', size: 12 }],
  host: 'node-1',
  entry: 'fit',
  command: 'python3 scripts/fit.py',
  exitCode: 0,
  start: '2026-01-02T03:04:05.000Z',
  end: '2026-01-02T03:04:06.500Z',
  durationMs: 1500,
  inputs: { digest: 'ef'.repeat(32), components: [{ role: 'script', path: 'scripts/fit.py', sha256: '01'.repeat(32) }] },
};

describe('receipts', () => {
  it('round-trip as sorted, two-space JSON with a trailing newline', () => {
    writeReceipt(root, receipt);
    const text = readFileSync(receiptPath(root, 'fit'), 'utf8');
    expect(text).toBe(canonicalJson(receipt));
    expect(text.endsWith('}\n')).toBe(true);
    expect(
      text
        .split('\n')
        .filter((l) => /^ {2}"/.test(l))
        .map((l) => l.trim().split('"')[1]),
    ).toEqual(['command', 'durationMs', 'end', 'entry', 'exitCode', 'host', 'inputs', 'outputs', 'signature', 'start', 'upstream']);
    expect(text).toContain('{\n      "path": "results/fit/out.json",\n      "sha256": "');
    expect(readReceipt(root, 'fit')).toEqual(receipt);
  });

  it('leave no temporary file behind', () => {
    writeReceipt(root, receipt);
    writeReceipt(root, { ...receipt, exitCode: 0, durationMs: 2 });
    expect(readdirSync(join(root, '.specthis/receipts'))).toEqual(['fit.json']);
  });

  it('read as absent when missing, unparsable, malformed or about another entry', () => {
    expect(readReceipt(root, 'fit')).toBeUndefined();
    write('.specthis/receipts/fit.json', '{"entry": "fit", "signa');
    expect(readReceipt(root, 'fit')).toBeUndefined();
    write('.specthis/receipts/fit.json', JSON.stringify({ ...receipt, outputs: 'none' }));
    expect(readReceipt(root, 'fit')).toBeUndefined();
    write('.specthis/receipts/fit.json', JSON.stringify({ ...receipt, entry: 'other' }));
    expect(readReceipt(root, 'fit')).toBeUndefined();
  });

  it('are deleted, and deleting an absent receipt is fine', () => {
    writeReceipt(root, receipt);
    deleteReceipt(root, 'fit');
    deleteReceipt(root, 'fit');
    expect(readReceipt(root, 'fit')).toBeUndefined();
  });
});

describe('outputs', () => {
  it('lists every file under a directory root, sorted, plus file roots', () => {
    write('results/fit/out.json', '{}');
    write('results/fit/z/arrays.csv', '1,2');
    write('results/fit/.hidden', 'h');
    write('reports/t.tex', 't');
    symlinkSync('out.json', join(root, 'results/fit/link.json'));
    symlinkSync(root, join(root, 'results/fit/loop'));
    expect(ownedFiles(root, ['results/fit', 'reports/t.tex', 'reports/absent.tex'])).toEqual([
      'reports/t.tex',
      'results/fit/.hidden',
      'results/fit/link.json',
      'results/fit/out.json',
      'results/fit/z/arrays.csv',
    ]);
  });

  it('hash existing files and digest them independently of order', () => {
    write('a.json', 'a');
    write('b.json', 'bb');
    const records = hashOutputs(root, ['b.json', 'a.json', 'gone.json']);
    expect(records).toEqual([
      { path: 'a.json', sha256: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb', size: 1 },
      { path: 'b.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 2 },
    ]);
    expect(outputsDigest(records)).toBe(outputsDigest([...records].reverse()));
    expect(outputsDigest(records)).not.toBe(outputsDigest(records.slice(1)));
  });
});
