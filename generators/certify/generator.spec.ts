import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree } from 'nx/src/generators/tree';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE, TempWorkspace } from '../../core/run/__fixtures__/workspace';
import { certifyGenerator } from './generator';
import type { CertifyGeneratorSchema } from './schema';

let ws: TempWorkspace;
let tree: Tree;
let logs: string[];
const lockExists = () => existsSync(join(ws.root, 'specs/_lock.json'));
const lock = () => JSON.parse(ws.read('specs/_lock.json'));
/** The generator run as `nx g` does without --dry-run: the returned callback writes. */
const gen = async (schema: CertifyGeneratorSchema) => {
  const task = await certifyGenerator(tree, { author: 'Ada', ...schema });
  await task?.();
};

beforeEach(() => {
  ws = new TempWorkspace();
  // A Tree over the real temp workspace: certification reads the files on disk at tree.root.
  tree = new FsTree(ws.root, false);
  logs = [];
  for (const level of ['info', 'warn', 'error'] as const)
    jest.spyOn(logger, level).mockImplementation((...m: unknown[]) => void logs.push(`${level} ${m.join(' ')}`));
});
afterEach(() => {
  jest.restoreAllMocks();
  ws.cleanup();
});

describe('certify generator', () => {
  it('plans without writing, and writes the lock only in the callback (what --dry-run skips)', async () => {
    const task = await certifyGenerator(tree, { entries: 'fit', author: 'Ada' });
    expect(lockExists()).toBe(false);
    expect(tree.listChanges()).toEqual([]);
    expect(logs[0]).toMatch(
      /^info Certify fit in specs\/_lock\.json \(new record\) as Ada:\n {4}inputs_certified {2}[0-9a-f]{64}\n {4}spec-shared {2}specs\/compute-fit\.md {2}[0-9a-f]{12}\n {4}entry-block {2}specs\/compute-fit\.md#fit {2}[0-9a-f]{12}\n {4}script {7}scripts\/fit\.py {2}[0-9a-f]{12}\n {4}workflow {5}config\/fit\.json {2}[0-9a-f]{12}$/,
    );
    await task!();
    expect(Object.keys(lock())).toEqual(['fit']);
    expect(lock().fit).toMatchObject({ framing: 'specthis-inputs/1', depends_on: ['compute-clean.md'], author: 'Ada' });
    expect(logs[logs.length - 1]).toBe('info Wrote specs/_lock.json: certified fit.');
  });

  it('takes a comma-separated list, keeps unchanged records, and names what moved on re-certification', async () => {
    await gen({ entries: 'fit, clean' });
    const before = lock();
    ws.edit('scripts/fit.py', '0.5', '0.6');
    logs = [];
    await gen({ entries: 'clean,fit', author: 'Bo' });
    expect(logs[0]).toMatch(
      /^info Certify fit in specs\/_lock\.json \(re-certify; moved since the last record: script scripts\/fit\.py\) as Bo:/,
    );
    expect(logs[1]).toBe('info Already certified with the same inputs (records kept as they are): clean.');
    expect(lock().clean).toEqual(before.clean);
    expect(lock().fit.author).toBe('Bo');
  });

  it('refuses script TBD entries and missing scripts with the reason, certifying none of the named', async () => {
    ws.remove('scripts/clean.py');
    await expect(gen({ entries: 'fit,todo,clean' })).rejects.toThrow(
      /^Certified nothing: 2 of the named entries cannot be certified \[certify-refused\]\n {2}clean: its script scripts\/clean\.py does not exist \(specs\/compute-clean\.md:12\); .*\n {2}todo: specs\/compute-fit\.md:20 says "Status: script TBD" \(waiting for the 2024 extract\); only a "script ready" entry can be certified/,
    );
    expect(lockExists()).toBe(false);
  });

  it('refuses an unknown entry and one whose spec has errors, printing the diagnostics', async () => {
    await expect(gen({ entries: 'fitt' })).rejects.toThrow(/ {2}fitt: no entry "fitt" in specs\/; .*did you mean fit\?/);
    ws.edit('specs/compute-clean.md', 'kind: compute', 'kind: compute\nbogus: 1');
    await expect(gen({ entries: 'clean' })).rejects.toThrow(
      / {2}clean: specs\/compute-clean\.md declares it and has 1 error; fix the spec, then certify/,
    );
    expect(logs).toContainEqual(expect.stringMatching(/^error specs\/compute-clean\.md:4: error: unknown front matter key "bogus"/));
  });

  it('certifies every ready entry with --all-ready and lists the skipped ones', async () => {
    await gen({ allReady: true });
    expect(Object.keys(lock())).toEqual(['clean', 'fit']);
    expect(logs).toContainEqual(
      expect.stringMatching(/^warn Skipped \(not ready to certify\):\n {2}todo: specs\/compute-fit\.md:20 says "Status: script TBD"/),
    );
  });

  it('clears named records, records of entries no longer declared, or all of them', async () => {
    await gen({ allReady: true });
    await gen({ entries: 'fit', clear: true });
    expect(Object.keys(lock())).toEqual(['clean']);
    ws.edit('specs/compute-clean.md', '### clean', '### clean-v2');
    await expect(gen({ entries: 'nope', clear: true })).rejects.toThrow(
      /^no entry and no record named "nope" in specs\/ or specs\/_lock\.json \[certify-unknown-entry\]/,
    );
    await gen({ entries: 'clean', clear: true });
    expect(lock()).toEqual({});
    await gen({ allReady: true });
    await gen({ clear: true, all: true });
    expect(ws.read('specs/_lock.json')).toBe('{}\n');
  });

  it('refuses to touch a lock that does not parse', async () => {
    ws.write('specs/_lock.json', '{ "fit": ');
    await expect(gen({ entries: 'clean' })).rejects.toThrow(
      /^specs\/_lock\.json:1:10: error: not valid JSON.*\n[\s\S]*certify writes nothing to a lock it cannot read\.$/,
    );
    expect(ws.read('specs/_lock.json')).toBe('{ "fit": ');
  });
});

describe('certify generator options', () => {
  beforeEach(() => (tree = createTreeWithEmptyWorkspace({ formatter: 'none' })));

  it.each([
    [{}, 'name the entries to certify (comma-separated), or use --all-ready'],
    [{ all: true }, '--all goes with --clear; to certify every ready entry use --all-ready'],
    [{ allReady: true, clear: true }, '--all-ready certifies; --clear removes records: pick one'],
    [{ entries: 'fit', allReady: true }, 'name entries, or use --all-ready / --clear --all, not both'],
  ] as [CertifyGeneratorSchema, string][])('refuses %j', async (schema, reason) => {
    await expect(certifyGenerator(tree, schema)).rejects.toThrow(
      `${reason} [certify-options]\n  expected: nx g @specthis/nx:certify mincer-baseline`,
    );
  });

  it('refuses an entry of a workspace without specs', async () => {
    await expect(certifyGenerator(tree, { entries: 'fit' })).rejects.toThrow(
      / {2}fit: no entry "fit" in specs\/; an entry is a "### <name>" block/,
    );
    expect(tree.listChanges().map((c) => c.path)).toEqual(['package.json', 'nx.json', 'tsconfig.base.json']);
  });

  it('works with specsDir "." (specs at the workspace root), as `specthis lock record` does', async () => {
    ws.cleanup();
    ws = new TempWorkspace(Object.fromEntries(Object.entries(PIPELINE).map(([p, t]) => [p.replace(/^specs\//, ''), t])));
    tree = new FsTree(ws.root, false);
    await gen({ entries: 'clean', specsDir: '.' });
    expect(Object.keys(JSON.parse(ws.read('_lock.json')))).toEqual(['clean']);
    await gen({ entries: 'clean', specsDir: '' });
    expect(logs.join('\n')).toContain('Already certified with the same inputs (records kept as they are): clean.');
  });
});
