import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, linesOut, requireFreshDist, startDriver, writeDriver } from './__fixtures__/children';
import { formatLock } from './format';
import { parseLock } from './parse';
import { updateLock } from './store';

jest.setTimeout(180_000);

const ROUNDS = 50;
/** Each write adds one record until CAP, then rewrites one: the lock keeps changing and never gets huge. */
const WRITER = `
const CAP = 120;
const pad = 'x'.repeat(2048);
for (let i = 0; ; i++) {
  let n = 0;
  lock.updateLock(root, 'specs', (l) => {
    n = Object.keys(l).length;
    const key = 'e' + String(n < CAP ? n : i % CAP).padStart(4, '0');
    l[key] = { inputs_certified: (i % 16).toString(16).repeat(64), framing: 'specthis-inputs/1', components: [{ role: 'script', path: 'scripts/' + pad.slice(0, 1 + (i * 7919) % 2048), sha256: 'missing' }], depends_on: [], author: 'writer ' + process.pid, ts: new Date().toISOString() };
    return l;
  });
  process.stdout.write(n + '\\n');
}`;

let root: string;
beforeAll(requireFreshDist);
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specthis-crash-'));
  mkdirSync(join(root, 'specs'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('lock writes killed at random moments', () => {
  it('always leave a complete lock: the old content or the new, never a torn or partial one', async () => {
    const driver = writeDriver(root, 'writer.js', WRITER);
    const lockFile = join(root, 'specs/_lock.json');
    let count = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = startDriver(driver, root);
      const end = exited(child);
      await linesOut(child, 1);
      await sleep(Math.random() * 40);
      child.kill('SIGKILL');
      const { signal, stderr } = await end;
      expect({ round, signal, stderr }).toEqual({ round, signal: 'SIGKILL', stderr: '' });

      const text = readFileSync(lockFile, 'utf8');
      const lock = parseLock(text, 'specs/_lock.json');
      // Bytes as the writer formats them: not a mix of two versions.
      expect(formatLock(lock)).toBe(text);
      const keys = Object.keys(lock);
      // No completed write is lost, and every record up to the count is there.
      expect(keys.length).toBeGreaterThanOrEqual(count);
      expect(keys).toEqual(Array.from({ length: keys.length }, (_, k) => `e${String(k).padStart(4, '0')}`));
      count = keys.length;
    }
    expect(count).toBeGreaterThan(ROUNDS);
    // The last writer died holding the lock or not: either way the next update goes through and tidies up.
    const started = Date.now();
    updateLock(root, 'specs', (l) => l, { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(readdirSync(join(root, 'specs')).filter((n) => /^\._lock\.json\.\d+\./.test(n) || n === '_lock.json.lock')).toEqual([]);
  });
});
