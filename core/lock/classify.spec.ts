import { TempWorkspace } from '../run/__fixtures__/workspace';
import { certificationOf, classifyCertification, describeCertification } from './classify';
import { planCertification } from './certify';
import { recordCertifications } from './record';
import { readLock } from './store';

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace()));
afterEach(() => ws.cleanup());

const certify = (...entries: string[]) => {
  const plan = planCertification(ws.root, ws.model(), readLock(ws.root, 'specs'), {
    entries,
    author: 'Ada',
    now: new Date('2026-02-03T04:05:06Z'),
  });
  expect(plan.refused).toEqual([]);
  recordCertifications(ws.root, 'specs', plan.records);
};
const cert = (name: string) => {
  const { model, entry } = ws.entry(name);
  return certificationOf(ws.root, model, entry, readLock(ws.root, 'specs'));
};

describe('certification', () => {
  it('is unbound without a record, certified once recorded', () => {
    expect(cert('fit')).toMatchObject({ state: 'unbound', cause: { kind: 'never-certified' }, moved: [] });
    expect(describeCertification(cert('fit'))).toBe('never certified (the lock holds no record for it)');
    certify('fit');
    expect(cert('fit')).toMatchObject({ state: 'certified', cause: { kind: 'matches' } });
    expect(describeCertification(cert('fit'))).toBe('inputs match the record (Ada certified it on 2026-02-03)');
    expect(cert('clean').state).toBe('unbound');
  });

  it('names the script that moved', () => {
    certify('fit');
    ws.edit('scripts/fit.py', '0.5', '0.6');
    const c = cert('fit');
    expect(`${c.state}: ${describeCertification(c)}`).toBe(
      'spec audit needed: script scripts/fit.py changed since Ada certified it on 2026-02-03',
    );
    expect(c.moved).toEqual([
      {
        role: 'script',
        path: 'scripts/fit.py',
        change: 'changed',
        before: expect.stringMatching(/^[0-9a-f]{64}$/),
        now: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('names every moved component: shared text, entry block, workflow', () => {
    certify('fit');
    ws.edit('specs/compute-fit.md', 'Fits on', 'Fits OLS on');
    ws.edit('specs/compute-fit.md', '- Keys: `beta`, `n`', '- Keys: `beta`');
    ws.edit('config/fit.json', '0.05', '0.1');
    expect(describeCertification(cert('fit'))).toBe(
      'shared text of specs/compute-fit.md, entry block specs/compute-fit.md#fit, workflow config/fit.json changed since Ada certified it on 2026-02-03',
    );
  });

  it('names added, removed and deleted inputs', () => {
    certify('fit');
    ws.edit('specs/compute-fit.md', '- Workflows: `config/fit.json`', '- Workflows: `config/grid.json`');
    expect(describeCertification(cert('fit'))).toBe(
      'entry block specs/compute-fit.md#fit, workflow config/grid.json (added), workflow config/fit.json (removed) changed since Ada certified it on 2026-02-03',
    );
    ws.edit('specs/compute-fit.md', '- Workflows: `config/grid.json`', '- Workflows: `config/fit.json`');
    ws.remove('scripts/fit.py');
    expect(describeCertification(cert('fit'))).toBe('script scripts/fit.py (now missing) changed since Ada certified it on 2026-02-03');
  });

  it('stays certified when a sibling entry of the same spec is edited', () => {
    certify('fit');
    ws.edit('specs/compute-fit.md', 'waiting for the 2024 extract', 'waiting for the 2025 extract');
    ws.edit('specs/compute-fit.md', '`results/compute-fit-todo/out.json`', '`results/compute-fit-todo/other.json`');
    expect(cert('fit').state).toBe('certified');
    ws.edit('specs/compute-fit.md', 'Fits on', 'Fits OLS on');
    expect(cert('fit').state).toBe('spec audit needed');
  });

  it('says when a record was framed under another version, and when its digest disagrees with its own components', () => {
    certify('fit');
    const record = readLock(ws.root, 'specs').fit;
    const live = cert('fit').live;
    expect(
      describeCertification(classifyCertification(live, { ...record, framing: 'specthis-inputs/0', inputs_certified: 'f'.repeat(64) })),
    ).toBe(
      'the record was framed as specthis-inputs/0 and this plugin frames inputs as specthis-inputs/1; re-certify after checking the entry',
    );
    expect(describeCertification(classifyCertification(live, { ...record, inputs_certified: 'f'.repeat(64) }))).toBe(
      "the record's inputs_certified does not match its own components (edited by hand?); Ada certified it on 2026-02-03",
    );
  });
});
