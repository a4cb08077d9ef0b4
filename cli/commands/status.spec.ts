import { PIPELINE, TempWorkspace } from '../../core/run/__fixtures__/workspace';
import { EXIT } from '../exit';
import { runCli } from '../test-io';

/** The fixture pipeline with an nx.json, so the CLI finds it as a workspace. */
function workspace(): TempWorkspace {
  return new TempWorkspace({ ...PIPELINE, 'nx.json': JSON.stringify({ plugins: ['@specthis/nx'] }) });
}

describe('specthis status and lock', () => {
  let ws: TempWorkspace;
  beforeEach(() => {
    ws = workspace();
  });
  afterEach(() => ws.cleanup());

  it('status --json lists every entry on both axes, keys sorted, deterministically', async () => {
    const r = await runCli(ws.root, 'status', '--json');
    expect(r.code).toBe(EXIT.ok);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['entries', 'invalidSpecs', 'specsDir']);
    expect(doc.entries.map((e: { entry: string }) => e.entry)).toEqual(['clean', 'fit', 'todo']);
    expect(doc.entries[0]).toEqual({
      certification: {
        cause: { kind: 'never-certified' },
        detail: 'never certified (the lock holds no record for it)',
        moved: [],
        state: 'unbound',
      },
      entry: 'clean',
      family: 'compute',
      line: 12,
      outputs: ['results/compute-clean-clean/panel.json'],
      project: 'specs',
      realization: {
        detail: 'results/compute-clean-clean/panel.json does not exist',
        state: 'missing',
        why: { kind: 'output-missing', others: 0, path: 'results/compute-clean-clean/panel.json' },
      },
      script: 'scripts/clean.py',
      source: null,
      spec: 'specs/compute-clean.md',
      status: 'script ready',
      target: 'specs:compute--clean',
    });
    expect(doc.entries[2].realization.state).toBe('script TBD');
    expect((await runCli(ws.root, 'status', '--json')).stdout).toBe(r.stdout);
  });

  it('status <entry> shows one entry; an unknown one is a usage error with a hint', async () => {
    const one = await runCli(ws.root, 'status', 'fit');
    expect(one.stdout).toContain('fit: compute entry of specs/compute-fit.md:');
    expect(one.stdout).toContain('realization    missing');
    const unknown = await runCli(ws.root, 'status', 'fitt');
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain('did you mean fit?');
  });

  it('after lock record, an edited script reads spec audit needed, naming it, and status exits 1', async () => {
    expect((await runCli(ws.root, 'lock', 'record', 'clean', '--author', 'Ada')).code).toBe(EXIT.ok);
    expect(JSON.parse((await runCli(ws.root, 'status', 'clean', '--json')).stdout).entries[0].certification.state).toBe('certified');
    ws.write('scripts/clean.py', `${ws.read('scripts/clean.py')}# edited\n`);
    const r = await runCli(ws.root, 'status', '--json');
    expect(r.code).toBe(EXIT.findings);
    expect(JSON.parse(r.stdout).entries[0].certification).toMatchObject({
      state: 'spec audit needed',
      cause: { kind: 'inputs-moved' },
      moved: [{ role: 'script', path: 'scripts/clean.py', change: 'changed' }],
      detail: expect.stringMatching(/^script scripts\/clean\.py changed since Ada certified it on /),
    });
    expect((await runCli(ws.root, 'lock', 'status')).code).toBe(EXIT.findings);
    expect((await runCli(ws.root, 'lock', 'clear', 'clean')).stdout).toContain('cleared     clean');
  });

  it('lock record refuses a script TBD entry and records nothing, exit 1', async () => {
    const r = await runCli(ws.root, 'lock', 'record', 'clean', 'todo');
    expect(r.code).toBe(EXIT.findings);
    expect(r.stderr).toMatch(/refused\s+todo: .*script TBD/);
    expect(JSON.parse((await runCli(ws.root, 'status', 'clean', '--json')).stdout).entries[0].certification.state).toBe('unbound');
  });

  it('a spec with errors is listed with its diagnostics, exit 1', async () => {
    ws.write('specs/broken.md', '---\nname: broken\nkind: nonsense\n---\n');
    const r = await runCli(ws.root, 'status');
    expect(r.code).toBe(EXIT.findings);
    expect(r.stdout).toMatch(/specs\/broken\.md: 1 error; .*nx run specs:invalid--broken/);
  });

  it('an unparsable lock is a workspace error, exit 3', async () => {
    ws.write('specs/_lock.json', '{ nope');
    const r = await runCli(ws.root, 'status');
    expect(r.code).toBe(EXIT.workspace);
    expect(r.stderr).toContain('specs/_lock.json:1');
  });

  it('--specs-dir overrides nx.json', async () => {
    const r = await runCli(ws.root, 'status', '--json', '--specs-dir', 'elsewhere');
    expect(JSON.parse(r.stdout)).toEqual({ entries: [], invalidSpecs: [], specsDir: 'elsewhere' });
  });

  it('lock clear answers an unknown name as the certify generator does: refused, nothing cleared', async () => {
    expect((await runCli(ws.root, 'lock', 'record', 'clean', '--author', 'Ada')).code).toBe(EXIT.ok);
    const r = await runCli(ws.root, 'lock', 'clear', 'clean', 'nope');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('no entry and no record named "nope" in specs/ or specs/_lock.json; nothing cleared');
    expect(Object.keys(JSON.parse(ws.read('specs/_lock.json')))).toEqual(['clean']);
    expect((await runCli(ws.root, 'lock', 'clear', 'fit')).stdout).toBe('no record   fit\n');
  });

  it('sees an output edited in place, same size, with its mtime put back, through the stat cache', async () => {
    const { runEntry } = await import('../../core/run/run-entry');
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const { devNull } = await import('../../core/run/__fixtures__/workspace');
    expect((await runEntry(ws.root, ws.model(), 'clean', { log: quiet, stdout: devNull(), stderr: devNull() })).success).toBe(true);
    const out = 'results/compute-clean-clean/panel.json';
    const { statSync, utimesSync } = await import('node:fs');
    const { join } = await import('node:path');
    const settled = new Date(Date.now() - 60_000);
    utimesSync(join(ws.root, out), settled, settled);
    const fresh = JSON.parse((await runCli(ws.root, 'status', 'clean', '--json')).stdout).entries[0].realization;
    expect(fresh.state).toBe('fresh');
    // Same size, same mtime: only the content (and the ctime, which no one can set) tells.
    const { mtime } = statSync(join(ws.root, out));
    ws.write(out, ws.read(out).replace('3', '4'));
    utimesSync(join(ws.root, out), mtime, mtime);
    const stale = JSON.parse((await runCli(ws.root, 'status', 'clean', '--json')).stdout).entries[0].realization;
    expect(stale).toMatchObject({ state: 'stale', why: { kind: 'output-changed', path: out } });
  });
});
