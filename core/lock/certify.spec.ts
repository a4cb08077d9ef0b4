import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { TempWorkspace } from '../run/__fixtures__/workspace';
import { resolveAuthor } from './author';
import { planCertification, type CertifyRequest } from './certify';
import { clearCertifications, recordCertifications } from './record';
import { readLock } from './store';

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace()));
afterEach(() => ws.cleanup());

const NOW = new Date('2026-02-03T04:05:06Z');
const plan = (request: CertifyRequest) =>
  planCertification(ws.root, ws.model(), readLock(ws.root, 'specs'), { author: 'Ada', now: NOW, ...request });

describe('planCertification', () => {
  it('plans a record with the live inputs, the spec depends_on, author and time', () => {
    const p = plan({ entries: ['fit'] });
    expect(p).toMatchObject({ refused: [], skipped: [], unchanged: [] });
    expect(p.records).toEqual([
      {
        entry: 'fit',
        previous: 'unbound',
        moved: [],
        record: {
          inputs_certified: expect.stringMatching(/^[0-9a-f]{64}$/),
          framing: 'specthis-inputs/1',
          components: [
            { role: 'spec-shared', path: 'specs/compute-fit.md', sha256: expect.any(String) },
            { role: 'entry-block', path: 'specs/compute-fit.md#fit', sha256: expect.any(String) },
            { role: 'script', path: 'scripts/fit.py', sha256: expect.any(String) },
            { role: 'workflow', path: 'config/fit.json', sha256: expect.any(String) },
          ],
          depends_on: ['compute-clean.md'],
          author: 'Ada',
          ts: '2026-02-03T04:05:06.000Z',
        },
      },
    ]);
  });

  it('refuses a script TBD entry, one whose script is missing, and an unknown one, each with the reason', () => {
    ws.remove('scripts/clean.py');
    const p = plan({ entries: ['todo', 'clean', 'fi', 'fit'] });
    expect(p.refused).toEqual([
      {
        entry: 'fi',
        reason:
          'no entry "fi" in specs/; an entry is a "### <name>" block under "## Entry" or "## Entries" of a compute, report or figure spec; did you mean fit?',
      },
      {
        entry: 'clean',
        reason:
          'its script scripts/clean.py does not exist (specs/compute-clean.md:12); write it, or correct the path in the spec, then certify',
      },
      {
        entry: 'todo',
        reason:
          'specs/compute-fit.md:20 says "Status: script TBD" (waiting for the 2024 extract); only a "script ready" entry can be certified: author the script, set "- Status: script ready", then certify',
      },
    ]);
    expect(p.records.map((r) => r.entry)).toEqual(['fit']);
  });

  it('refuses an entry of a spec with errors, handing back the spec for its diagnostics', () => {
    ws.edit('specs/compute-clean.md', 'kind: compute', 'kind: compute\nbogus: 1');
    const [refusal] = plan({ entries: ['clean'] }).refused;
    expect(refusal.reason).toBe('specs/compute-clean.md declares it and has 1 error; fix the spec, then certify');
    expect(refusal.blockedSpec?.diagnostics[0].rule).toBe('front-matter-unknown-key');
  });

  it('with allReady takes every ready entry with a script and lists the rest as skipped', () => {
    const p = plan({ allReady: true });
    expect(p.records.map((r) => r.entry)).toEqual(['clean', 'fit']);
    expect(p.skipped.map((s) => s.entry)).toEqual(['todo']);
    expect(p.refused).toEqual([]);
  });

  it('leaves an entry certified with the same inputs as it is, and re-records a drifted one naming what moved', () => {
    recordCertifications(ws.root, 'specs', plan({ entries: ['fit', 'clean'] }).records);
    ws.edit('scripts/fit.py', '0.5', '0.6');
    const p = plan({ entries: ['fit', 'clean'], author: 'Bo' });
    expect(p.unchanged).toEqual(['clean']);
    expect(p.records).toMatchObject([
      {
        entry: 'fit',
        previous: 'spec audit needed',
        moved: [{ role: 'script', path: 'scripts/fit.py', change: 'changed' }],
        record: { author: 'Bo' },
      },
    ]);
  });
});

describe('recordCertifications / clearCertifications', () => {
  it('keeps other entries when recording, and clears named entries or all', () => {
    recordCertifications(ws.root, 'specs', plan({ entries: ['fit'] }).records);
    recordCertifications(ws.root, 'specs', plan({ entries: ['clean'] }).records);
    expect(Object.keys(readLock(ws.root, 'specs'))).toEqual(['clean', 'fit']);
    expect(clearCertifications(ws.root, 'specs', ['fit', 'todo']).cleared).toEqual(['fit']);
    expect(Object.keys(readLock(ws.root, 'specs'))).toEqual(['clean']);
    const all = clearCertifications(ws.root, 'specs', 'all');
    expect([all.cleared, all.written, ws.read('specs/_lock.json')]).toEqual([['clean'], true, '{}\n']);
  });
});

describe('resolveAuthor', () => {
  it('prefers the given name, then git config user.name, then the login name', () => {
    expect(resolveAuthor(ws.root, '  Ada L. ')).toBe('Ada L.');
    // No global or system git config, so only the workspace's own counts.
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    expect(resolveAuthor(ws.root, undefined, env)).toBe(userInfo().username);
    execFileSync('git', ['init', '-q'], { cwd: ws.root, env });
    execFileSync('git', ['config', 'user.name', 'Grace H'], { cwd: ws.root, env });
    expect(resolveAuthor(ws.root, '', env)).toBe('Grace H');
  });
});
