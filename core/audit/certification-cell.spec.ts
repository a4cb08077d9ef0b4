import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeInputs, FRAMING_VERSION } from '../hash/inputs';
import { formatLock } from '../lock/format';
import { loadWorkspace } from '../workspace/load';
import { runAudit } from './audit';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specthis-audit-lock-'));
  cpSync(join(__dirname, '__fixtures__', 'clean'), root, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Certifies an entry the way core/lock records it: the live inputs, framed. */
function certify(entry: string): void {
  const model = loadWorkspace(root);
  const e = model.entries.get(entry)!;
  const inputs = computeInputs(
    root,
    model.specs.find((s) => s.file === e.specFile)!,
    e,
  );
  const record = {
    inputs_certified: inputs.digest,
    framing: FRAMING_VERSION,
    components: inputs.components,
    depends_on: [],
    author: 'Ada',
    ts: '2026-01-01T00:00:00.000Z',
  };
  writeFileSync(join(root, 'specs', '_lock.json'), formatLock({ [entry]: record }));
}

const audit = () => runAudit(root, loadWorkspace(root)).result;
const row = (name: string) => audit().rows.find((r) => r.entry === name)!;

describe('certification column', () => {
  it('reads unbound without a lock, certified after certification', () => {
    expect(row('fit').certification).toBe('unbound');
    certify('fit');
    expect(row('fit').certification).toBe('certified');
    expect(row('table').certification).toBe('unbound');
    expect(audit().findings).toEqual([]);
  });

  it('warns with what moved when certified inputs drift, without failing', () => {
    certify('fit');
    appendFileSync(join(root, 'scripts', 'fit.py'), '# edited\n');
    const result = audit();
    expect(result.rows.find((r) => r.entry === 'fit')!.certification).toBe('spec audit needed');
    expect(result.findings).toMatchObject([
      { file: 'specs/compute-fit.md', line: 15, rule: 'spec-audit-needed', severity: 'warning', entry: 'fit' },
    ]);
    expect(result.findings[0].reason).toBe(
      'entry "fit" was certified, but script scripts/fit.py changed since Ada certified it on 2026-01-01',
    );
    expect(result.findings[0].expected).toBe('check the entry against its spec, then re-certify: nx g @specthis/nx:certify fit');
    expect(result.exitCode).toBe(0);
  });

  it('reports a lock that does not parse as an error and shows no certification state', () => {
    writeFileSync(join(root, 'specs', '_lock.json'), '{\n  "fit": [\n');
    const result = audit();
    expect(result.rows.map((r) => r.certification)).toEqual(['—', '—']);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ file: 'specs/_lock.json', severity: 'error' });
    expect(result.exitCode).toBe(1);
  });
});
