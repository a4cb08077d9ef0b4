import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditWith } from './executor';

const FIXTURES = join(__dirname, '..', '..', 'core', 'audit', '__fixtures__');
let root: string;
let out: string;
let err: string;
const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
const audit = (options: Parameters<typeof auditWith>[0]) =>
  auditWith(options, { root, nxJsonConfiguration: { plugins: ['@specthis/nx'] } }, io);

function workspace(fixture: string) {
  root = mkdtempSync(join(tmpdir(), 'specthis-audit-exec-'));
  cpSync(join(FIXTURES, fixture), root, { recursive: true });
}

beforeEach(() => {
  out = '';
  err = '';
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('audit executor', () => {
  it('prints the table, writes the generated files and succeeds on a clean workspace', () => {
    workspace('clean');
    expect(audit({})).toEqual({ success: true });
    expect(out).toMatch(/^\| `fit` \| specs\/compute-fit\.md:15 \| script ready \| ✓ \| ✓ \| ✓ \| ✓ \|/m);
    expect(out).toContain('Audit passed.');
    expect(err).toBe('specthis: wrote specs/_index.json, specs/_routing.json\n');
    expect(existsSync(join(root, 'specs', '_index.json'))).toBe(true);
  });

  it('fails on an error finding, and prints pure JSON with --format json', () => {
    workspace('missing-script');
    expect(audit({ format: 'json' })).toEqual({ success: false });
    const report = JSON.parse(out);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toEqual(['script-missing']);
    expect(report.exitCode).toBe(1);
  });

  it('passes with warnings only', () => {
    workspace('missing-output');
    expect(audit({})).toEqual({ success: true });
    expect(out).toMatch(/specs\/compute-fit\.md:20: warning: .* \[output-missing\]/);
  });

  it('scopes to one spec directory without writing the whole-workspace files, and refuses an empty scope', () => {
    workspace('clean');
    expect(audit({ scope: 'specs' })).toEqual({ success: true });
    expect(out).toContain('# specthis audit of specs/');
    expect(existsSync(join(root, 'specs', '_index.json'))).toBe(false);
    expect(audit({ scope: 'specs/nowhere' })).toEqual({ success: false });
    expect(err).toContain(
      'specthis audit: no specs directly in specs/nowhere/; the scope is a spec directory (specs), or empty for the whole workspace',
    );
  });

  it('reads specsDir from nx.json and refuses an unknown format', () => {
    workspace('clean');
    cpSync(join(root, 'specs'), join(root, 'research', 'specs'), { recursive: true });
    rmSync(join(root, 'specs'), { recursive: true });
    const result = auditWith(
      {},
      { root, nxJsonConfiguration: { plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }] } },
      io,
    );
    expect(result).toEqual({ success: true });
    expect(existsSync(join(root, 'research', 'specs', '_routing.json'))).toBe(true);
    expect(audit({ format: 'html' as 'json' })).toEqual({ success: false });
    expect(err).toContain('specthis audit: the format is markdown or json, got "html"');
  });
});
