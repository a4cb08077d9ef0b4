import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { planCertification } from '../lock/certify';
import { recordCertifications } from '../lock/record';
import { readLock } from '../lock/store';
import { loadWorkspace } from '../workspace/load';
import { devNull, TempWorkspace } from './__fixtures__/workspace';
import { runEntry } from './run-entry';

// Each test runs real python3 processes; on a loaded machine that outlasts jest's 5 s default.
jest.setTimeout(30_000);

let ws: TempWorkspace;
let lines: string[];
beforeEach(() => {
  ws = new TempWorkspace();
  lines = [];
});
afterEach(() => ws.cleanup());

const log = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => lines.push(`warn ${m}`),
  error: (m: string) => lines.push(`error ${m}`),
};
const run = (name: string, requireCertified = false) =>
  runEntry(ws.root, loadWorkspace(ws.root, { specsDir: 'specs', requireCertified }), name, { log, stdout: devNull(), stderr: devNull() });
const certify = (...entries: string[]) => {
  const plan = planCertification(ws.root, ws.model(), readLock(ws.root, 'specs'), {
    entries,
    author: 'Ada',
    now: new Date('2026-02-03T00:00:00Z'),
  });
  recordCertifications(ws.root, 'specs', plan.records);
};
const ran = (name: string) => existsSync(join(ws.root, '.specthis/logs', `${name}.log`));

describe('runEntry and certification', () => {
  it('fails an entry whose inputs moved since certification, naming each and the command to re-certify', async () => {
    certify('clean');
    ws.edit('scripts/clean.py', '"rows": 3', '"rows": 4');
    ws.edit('specs/compute-clean.md', 'Cleans the panel.', 'Cleans the survey panel.');
    expect(await run('clean')).toMatchObject({ success: false, outcome: 'refused', certification: 'spec audit needed' });
    expect(lines).toHaveLength(1);
    expect(lines[0].split('\n')).toEqual([
      'error specs/compute-clean.md:12: error: clean needs a spec audit: shared text of specs/compute-clean.md, script scripts/clean.py changed since Ada certified it on 2026-02-03 [run-spec-audit-needed]',
      expect.stringMatching(/^  expected: the inputs as certified \(inputs_certified [0-9a-f]{12}…\)$/),
      '  received: spec-shared specs/compute-clean.md changed, script scripts/clean.py changed',
      '  note: check the entry against specs/compute-clean.md:12 (does the code still satisfy its contract?), then re-certify: nx g @specthis/nx:certify clean (or: npx specthis lock record clean)',
      '  docs: specs/README.md#run-spec-audit-needed',
    ]);
    expect(ran('clean')).toBe(false);
    certify('clean');
    lines = [];
    expect(await run('clean')).toMatchObject({ success: true, outcome: 'ran', certification: 'certified' });
    expect(lines.filter((l) => !l.startsWith('info'))).toEqual([]);
  });

  it('checks certification before script TBD', async () => {
    certify('fit');
    ws.edit(
      'specs/compute-fit.md',
      '- Workflows: `config/fit.json`\n- Status: script ready',
      '- Workflows: `config/fit.json`\n- Status: script TBD — new estimator',
    );
    await run('fit');
    expect(lines[0]).toMatch(
      /^error specs\/compute-fit\.md:13: error: fit needs a spec audit: entry block specs\/compute-fit\.md#fit changed since/,
    );
    lines = [];
    expect(await run('todo')).toMatchObject({ outcome: 'refused', certification: 'unbound' });
    expect(lines).toEqual([
      expect.stringMatching(/^error specs\/compute-fit\.md:20: error: todo is script TBD: waiting for the 2024 extract \[run-script-tbd\]/),
    ]);
  });

  it('runs an entry that was never certified, with a warning', async () => {
    expect(await run('clean')).toMatchObject({ success: true, outcome: 'ran', certification: 'unbound' });
    expect(lines[0]).toBe(
      [
        'warn specs/compute-clean.md:12: warning: clean was never certified (no record in specs/_lock.json); it goes ahead uncertified [run-unbound]',
        '  expected: a record for clean in specs/_lock.json',
        '  received: no record',
        '  note: once its script is checked against specs/compute-clean.md:12, certify it: nx g @specthis/nx:certify clean (or: npx specthis lock record clean). (With "requireCertified": true in the plugin\'s options it would not run.)',
        '  docs: specs/README.md#run-unbound',
      ].join('\n'),
    );
  });

  it('fails an entry that was never certified under requireCertified, and runs it once certified', async () => {
    expect(await run('clean', true)).toMatchObject({ success: false, outcome: 'refused', certification: 'unbound' });
    expect(lines).toEqual([
      expect.stringMatching(
        /^error specs\/compute-clean\.md:12: error: clean was never certified \(no record in specs\/_lock\.json\) and the plugin option "requireCertified" is true, so it does not run \[run-unbound\]\n(.*\n){2}  note: once its script is checked against specs\/compute-clean\.md:12, certify it: nx g @specthis\/nx:certify clean \(or: npx specthis lock record clean\)\n/,
      ),
    ]);
    expect(ran('clean')).toBe(false);
    certify('clean');
    expect(await run('clean', true)).toMatchObject({ success: true, outcome: 'ran' });
  });

  it('keeps an entry certified when a sibling entry of its spec is edited', async () => {
    await run('clean');
    certify('fit');
    ws.edit('specs/compute-fit.md', 'waiting for the 2024 extract', 'waiting for the 2025 extract');
    lines = [];
    expect(await run('fit', true)).toMatchObject({ success: true, outcome: 'ran', certification: 'certified' });
  });

  it('fails on a lock that does not parse, naming the file and line, rather than treating the entry as unbound', async () => {
    ws.write('specs/_lock.json', '{\n  "clean": {\n}\n');
    expect(await run('clean')).toMatchObject({ success: false, outcome: 'refused' });
    expect(lines[0]).toMatch(/^error specs\/_lock\.json:3:2: error: not valid JSON/);
    expect(lines[1]).toMatch(
      /^error specs\/compute-clean\.md:12: error: clean not run: specs\/_lock\.json does not parse, so whether its inputs drifted since certification cannot be told \[run-lock-unreadable\]\n.*\n  note: fix that file, or restore it: git checkout -- specs\/_lock\.json\n/,
    );
  });
});
