import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE, TempWorkspace } from '../../core/run/__fixtures__/workspace';
import { EXIT } from '../exit';
import { runCli } from '../test-io';

function workspace(files: Record<string, string> = {}): TempWorkspace {
  return new TempWorkspace({ ...PIPELINE, 'nx.json': JSON.stringify({ plugins: ['@specthis/nx'] }), ...files });
}

describe('specthis run', () => {
  let ws: TempWorkspace;
  afterEach(() => ws.cleanup());

  it('runs every entry upstream first, refuses the TBD one, then finds the rest fresh', async () => {
    ws = workspace();
    const first = await runCli(ws.root, 'run', '--parallel', '2');
    expect(first.code).toBe(EXIT.findings);
    expect(first.stdout).toMatch(/specthis: running clean .*\nclean: wrote 3 rows\n/s);
    expect(first.stdout).toMatch(/todo is script TBD: waiting for the 2024 extract \[run-script-tbd\]/);
    expect(first.stdout.indexOf('specthis: running clean')).toBeLessThan(first.stdout.indexOf('specthis: running fit'));
    expect(first.stdout.trimEnd().split('\n').pop()).toBe('specthis run: 3 entries: 2 ran, 1 refused');
    expect(ws.read('.specthis/receipts/fit.json')).toMatch(/"entry": "fit"/);

    const again = await runCli(ws.root, 'run', 'fit');
    expect(again).toEqual({ code: EXIT.ok, stdout: 'specthis run: 2 entries: 2 fresh\n', stderr: '' });
    const verbose = await runCli(ws.root, 'run', 'fit', '--show-fresh');
    expect(verbose.stdout).toMatch(/specthis: clean is fresh \(receipt matches inputs and 2 output files\); nothing to do\n/);
  });

  it('does not start what is downstream of a failure', async () => {
    ws = workspace({ 'scripts/clean.py': 'raise SystemExit(4)\n' });
    const r = await runCli(ws.root, 'run', 'fit');
    expect(r.code).toBe(EXIT.findings);
    expect(r.stdout).toMatch(/clean failed: its command exited 4 \[run-failed\]/);
    expect(r.stdout).toMatch(/^specthis: fit did not run: clean, which it depends on, did not succeed$/m);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('specthis run: 2 entries: 1 failed, 1 not started');
    expect(existsSync(join(ws.root, '.specthis/receipts/fit.json'))).toBe(false);
  });

  it('fails naming a spec with errors, and still runs the others', async () => {
    ws = workspace();
    ws.edit('specs/compute-fit.md', 'kind: compute', 'kind: computer');
    const r = await runCli(ws.root, 'run');
    expect(r.code).toBe(EXIT.findings);
    expect(r.stdout).toMatch(/^specs\/compute-fit\.md:3: error: unknown kind "computer" \[front-matter-kind\]/m);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('specthis run: 1 entry: 1 ran, 1 spec with errors');
  });

  it('refuses an unknown entry and a bad --parallel as usage errors', async () => {
    ws = workspace();
    const unknown = await runCli(ws.root, 'run', 'fitt');
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/^specthis run: no entry "fitt" in specs\/; .*did you mean fit\?$/m);
    const bad = await runCli(ws.root, 'run', '--parallel', '0');
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/--parallel takes a whole number of entries at once, at least 1 \(e\.g\. --parallel 2\); got 0/);
  });
});
