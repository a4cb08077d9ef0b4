import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../exit';
import { runCli } from '../test-io';
import { copyExample } from '../../scripts/example-copy';

describe('specthis dashboard', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-cli-dashboard-'));
    copyExample(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the page and the generated files from a subdirectory of the workspace', async () => {
    const r = await runCli(join(root, 'specs', 'models'), 'dashboard');
    expect(r).toEqual({
      code: EXIT.ok,
      stdout: 'wrote specs/_index.json, specs/_routing.json, specs/specs.html\nopen specs/specs.html in a browser\n',
      stderr: '',
    });
    expect(readFileSync(join(root, 'specs', 'specs.html'), 'utf8')).toContain('id="specthis-data"');
  });

  it('exits 0 when the audit finds errors, and honours --specs-dir', async () => {
    writeFileSync(join(root, 'specs', 'broken.md'), '---\nkind: nonsense\n---\n');
    expect((await runCli(root, 'dashboard')).code).toBe(EXIT.ok);
    cpSync(join(root, 'specs'), join(root, 'other'), { recursive: true });
    const r = await runCli(root, 'dashboard', '--specs-dir', 'other');
    expect(r.stdout).toContain('wrote other/_index.json, other/_routing.json, other/specs.html');
  });

  it('refuses arguments, and reports a page it cannot write as a workspace error', async () => {
    expect((await runCli(root, 'dashboard', 'extra')).code).toBe(EXIT.usage);
    expect((await runCli(root, 'dashboard', '--format', 'json')).code).toBe(EXIT.usage);
    writeFileSync(join(root, 'blocker'), '');
    const r = await runCli(root, 'dashboard', '--specs-dir', 'blocker/specs');
    expect(r.code).toBe(EXIT.workspace);
    expect(r.stderr).toMatch(/^specthis dashboard: .*(ENOTDIR|EEXIST)/);
  });
});
