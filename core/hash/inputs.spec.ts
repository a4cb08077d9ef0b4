import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseSpec } from '../spec/parse';
import { computeInputs, frameInputs, framedInputsText, MISSING } from './inputs';

const SPEC = [
  '---',
  'name: compute-wages',
  'kind: compute',
  'title: Wages',
  '---',
  '',
  '## Script',
  '',
  'One script.',
  '',
  '## Entries',
  '',
  '### fit-a',
  '- Script: `scripts/fit.py`',
  '- Output: `results/compute-wages-fit-a/out.json`',
  '- Workflows: `config/a.json`',
  '- Status: script ready',
  '',
  '### fit-b',
  '- Script: `scripts/fit.py`',
  '- Output: `results/compute-wages-fit-b/out.json`',
  '- Status: script ready',
  '',
  '## Notes',
  '',
  'End.',
  '',
].join('\n');

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const inputs = (entry = 'fit-a') => {
  const spec = parseSpec('specs/compute-wages.md', 'compute-wages.md', readFileSync(join(root, 'specs/compute-wages.md')));
  expect(spec.diagnostics).toEqual([]);
  return computeInputs(
    root,
    spec,
    spec.entries.find((e) => e.name === entry)!,
  );
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specthis-inputs-'));
  write('specs/compute-wages.md', SPEC);
  write('scripts/fit.py', 'print(1)\n');
  write('config/a.json', '{"a": 1}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('inputs_certified', () => {
  it('is pinned: the framing is a stable format every lock depends on', () => {
    const { digest, components } = inputs();
    // Checked by hand: the framed text below, hashed with `sha256sum`.
    expect(framedInputsText(components)).toBe(
      [
        'specthis-inputs/1',
        'spec-shared specs/compute-wages.md 8c49876772cdc7eec5490bfe9fbce6c440838b9f57a5079ef41bc53b8a7c6f23',
        'entry-block specs/compute-wages.md#fit-a ac3d9f4d472c08fe42a4c84813fb21947df6933ac2040eb7f81e59f7deebc655',
        'script scripts/fit.py cc42155088fca5730758db72b2a5bca33112a941dfaa2d43098ec422ce4ea213',
        'workflow config/a.json e8c628edc9968ef0c668f54e0ba2636b35503357eb1aca0ddc828aeace432f67',
      ].join('\n'),
    );
    expect(digest).toBe('e2c42f28c4892b062b3f443a71021357f68623c16f6b3b4825b0eea80d5cb16e');
  });

  it('frames components in role then path order, whatever order they come in', () => {
    const a = { role: 'workflow' as const, path: 'b.json', sha256: 'x' };
    const b = { role: 'workflow' as const, path: 'a.json', sha256: 'y' };
    const c = { role: 'script' as const, path: 'z.py', sha256: 'z' };
    expect(frameInputs([a, b, c])).toBe(frameInputs([c, b, a]));
    expect(framedInputsText([a, b, c])).toBe('specthis-inputs/1\nscript z.py z\nworkflow a.json y\nworkflow b.json x');
  });

  it('leaves an entry alone when a sibling entry block is edited', () => {
    const before = inputs();
    write('specs/compute-wages.md', SPEC.replace('results/compute-wages-fit-b/out.json', 'results/compute-wages-fit-b/other.json'));
    expect(inputs()).toEqual(before);
    expect(inputs('fit-b').digest).not.toBe(before.digest);
  });

  it('changes when the shared text, the entry block, the script or a workflow changes', () => {
    const before = inputs().digest;
    const edits: [string, string][] = [
      ['specs/compute-wages.md', SPEC.replace('One script.', 'One script, two modes.')],
      [
        'specs/compute-wages.md',
        SPEC.replace('- Status: script ready\n\n### fit-b', '- Status: script ready\n- Keys: `beta`\n\n### fit-b'),
      ],
      ['scripts/fit.py', 'print(2)\n'],
      ['config/a.json', '{"a": 2}\n'],
    ];
    for (const [path, text] of edits) {
      const original = readFileSync(join(root, path), 'utf8');
      write(path, text);
      expect(inputs().digest).not.toBe(before);
      write(path, original);
    }
    expect(inputs().digest).toBe(before);
  });

  it('ignores the display title and line endings', () => {
    const before = inputs().digest;
    write('specs/compute-wages.md', SPEC.replace('title: Wages', 'title: >\n  Wages and\n  returns'));
    expect(inputs().digest).toBe(before);
    write('specs/compute-wages.md', `\uFEFF${SPEC.replace(/\n/g, '\r\n')}`);
    expect(inputs().digest).toBe(before);
  });

  it('ignores Runner: and Resources: lines: where and with what an entry runs is not what it computes', () => {
    const before = inputs();
    write(
      'specs/compute-wages.md',
      SPEC.replace(
        '- Workflows: `config/a.json`',
        '- Runner: slurm\n- Workflows: `config/a.json`\n- Resources: time=02:00:00 mem=8G cpus=4',
      ),
    );
    expect(inputs()).toEqual(before);
    write(
      'specs/compute-wages.md',
      SPEC.replace('- Workflows: `config/a.json`', '- Runner: local\n- Resources: `partition=short`\n- Workflows: `config/a.json`'),
    );
    expect(inputs()).toEqual(before);
  });

  it('covers the files a Run: command names, as run-file components, and nothing for words that are no file', () => {
    const before = inputs();
    write(
      'specs/compute-wages.md',
      SPEC.replace(
        '- Workflows: `config/a.json`',
        '- Run: `python3 scripts/fit.py config/b.yaml --mode fast.v2`\n- Workflows: `config/a.json`',
      ),
    );
    const withRun = inputs();
    expect(withRun.components.filter((c) => c.role === 'run-file')).toEqual([]);
    expect(withRun.digest).not.toBe(before.digest);
    write('config/b.yaml', 'alpha: 1\n');
    const withFile = inputs();
    expect(withFile.components.filter((c) => c.role === 'run-file').map((c) => c.path)).toEqual(['config/b.yaml']);
    write('config/b.yaml', 'alpha: 2\n');
    expect(inputs().digest).not.toBe(withFile.digest);
  });

  it('hashes a missing file as the literal "missing"', () => {
    rmSync(join(root, 'config/a.json'));
    const { components } = inputs();
    expect(components.find((c) => c.role === 'workflow')).toEqual({ role: 'workflow', path: 'config/a.json', sha256: MISSING });
    expect(MISSING).toBe('missing');
  });
});
