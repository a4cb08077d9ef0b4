import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../workspace/load';
import { exited, requireFreshDist, startDriver, writeDriver } from './__fixtures__/children';
import { certificationOf } from './classify';
import { readLock } from './store';

jest.setTimeout(120_000);

const N = 6;
const NAMES = Array.from({ length: N }, (_, i) => `fit-${i + 1}`);
const SPEC = `---\nname: compute-many\nkind: compute\n---\n\n## Script\n\nOne script per entry.\n\n## Entries\n${NAMES.map((n) => `\n### ${n}\n- Script: \`scripts/${n}.py\`\n- Output: \`results/compute-many-${n}/out.json\`\n- Status: script ready\n`).join('')}`;

/**
 * Every child waits for one shared start time, so their read-modify-writes
 * really overlap: asleep until just before it (a spinning child would starve the
 * others of CPU), then spinning to it.
 */
const WAIT = `
function waitFor(startAt) {
  if (Date.now() > startAt) { console.error('late: started after the shared start time'); process.exit(3); }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, startAt - Date.now() - 20));
  while (Date.now() < startAt) {}
}`;
const CERTIFY = `${WAIT}
const { loadWorkspace } = require(dist + '/core/workspace/load.js');
const [name, startAt] = [args[0], Number(args[1])];
const model = loadWorkspace(root, { specsDir: 'specs' });
waitFor(startAt);
const plan = lock.planCertification(root, model, lock.readLock(root, 'specs'), { entries: [name], author: 'child ' + name });
lock.recordCertifications(root, 'specs', plan.records);
`;
const HAMMER = `${WAIT}
const [who, startAt, times] = [args[0], Number(args[1]), Number(args[2])];
waitFor(startAt);
for (let j = 0; j < times; j++) lock.updateLock(root, 'specs', (l) => ({ ...l, [who + '-' + j]: { inputs_certified: 'a'.repeat(64), framing: 'specthis-inputs/1', components: [], depends_on: [], author: who, ts: new Date().toISOString() } }));
`;

let root: string;
beforeAll(requireFreshDist);
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specthis-concurrent-'));
  for (const [path, text] of [['specs/compute-many.md', SPEC], ...NAMES.map((n) => [`scripts/${n}.py`, `print("${n}")\n`])]) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function together(driver: string, argsOf: (i: number) => string[]): Promise<void> {
  const startAt = String(Date.now() + 6_000);
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) => exited(startDriver(driver, root, ...argsOf(i).map((a) => a.replace('$START', startAt))))),
  );
  expect(results).toEqual(Array.from({ length: N }, () => ({ code: 0, signal: null, stderr: '' })));
}

describe(`${N} processes certifying at the same moment`, () => {
  it('all land: every entry is certified afterwards', async () => {
    await together(writeDriver(root, 'certify.js', CERTIFY), (i) => [NAMES[i], '$START']);
    const lock = readLock(root, 'specs');
    expect(Object.keys(lock)).toEqual(NAMES);
    const model = loadWorkspace(root, { specsDir: 'specs' });
    for (const name of NAMES) {
      expect(certificationOf(root, model, model.entries.get(name)!, lock).state).toBe('certified');
      expect(lock[name].author).toBe(`child ${name}`);
    }
    expect(readdirSync(join(root, 'specs')).sort()).toEqual(['_lock.json', 'compute-many.md']);
  });

  it('lose no update when each writes many times in a tight loop', async () => {
    const times = 25;
    await together(writeDriver(root, 'hammer.js', HAMMER), (i) => [`p${i}`, '$START', String(times)]);
    expect(Object.keys(readLock(root, 'specs')).length).toBe(N * times);
  });
});
