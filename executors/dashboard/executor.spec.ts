import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardWith } from './executor';
import { copyExample } from '../../scripts/example-copy';

let root: string;
let err: string;
const io = { err: (t: string) => void (err += t) };

beforeEach(() => {
  err = '';
  root = mkdtempSync(join(tmpdir(), 'specthis-dashboard-exec-'));
  copyExample(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('dashboard executor', () => {
  it('writes specs.html, _index.json and _routing.json and says so on stderr', () => {
    expect(dashboardWith({}, { root, nxJsonConfiguration: { plugins: ['@specthis/nx'] } }, io)).toEqual({ success: true });
    expect(err).toBe('specthis: wrote specs/_index.json, specs/_routing.json, specs/specs.html\n');
    expect(readFileSync(join(root, 'specs', 'specs.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(existsSync(join(root, 'specs', '_routing.json'))).toBe(true);
  });

  it('succeeds when the audit finds errors: the page shows them', () => {
    writeFileSync(join(root, 'specs', 'broken.md'), '---\nkind: nonsense\n---\n');
    expect(dashboardWith({}, { root, nxJsonConfiguration: {} }, io)).toEqual({ success: true });
    expect(readFileSync(join(root, 'specs', 'specs.html'), 'utf8')).toContain('specs/broken.md');
  });

  it('reads specsDir from nx.json', () => {
    cpSync(join(root, 'specs'), join(root, 'research', 'specs'), { recursive: true });
    rmSync(join(root, 'specs'), { recursive: true });
    const nxJsonConfiguration = { plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }] };
    expect(dashboardWith({}, { root, nxJsonConfiguration }, io)).toEqual({ success: true });
    expect(err).toBe('specthis: wrote research/specs/_index.json, research/specs/_routing.json, research/specs/specs.html\n');
  });

  it('fails with a message naming what went wrong when the files cannot be written', () => {
    writeFileSync(join(root, 'blocker'), '');
    const nxJsonConfiguration = { plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'blocker/specs' } }] };
    expect(dashboardWith({}, { root, nxJsonConfiguration }, io)).toEqual({ success: false });
    expect(err).toMatch(/^specthis: the dashboard could not be written: .*(ENOTDIR|EEXIST)/);
  });
});
