import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkspace } from './support/workspace';

/**
 * The example workspace's fingerprint: every inferred project and target as
 * `nx show project` prints it, every task hash of a full run (from the run
 * summary Nx writes), and the lock `specthis lock record --all-ready` writes. The
 * fixture was recorded with the plugin as it stood before the refactoring of
 * the vocabulary issue (commit 954bb37); refactoring that moves any of it
 * fails here. A deliberate change re-records it with UPDATE_FIXTURES=1 and
 * says why in its commit.
 */
jest.setTimeout(300_000);

const FIXTURE = join(__dirname, '__fixtures__', 'example-fingerprint.json');

describe('the example workspace keeps its targets, task hashes and lock bytes', () => {
  it('matches the fingerprint recorded before the refactoring', () => {
    const ws = TestWorkspace.fromExample('fingerprint');
    const projects: string[] = JSON.parse(ws.nxOk('show', 'projects', '--json').stdout).sort();
    const targets = Object.fromEntries(projects.map((p) => [p, JSON.parse(ws.nxOk('show', 'project', p, '--json').stdout).targets]));
    ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    const hashes = ws
      .lastRun()
      .map((t) => `${t.taskId} ${t.hash}`)
      .sort();
    const cli = join(ws.root, 'node_modules', '@specthis', 'nx', 'dist', 'cli', 'main.js');
    const record = ws.exec(process.execPath, [cli, 'lock', 'record', '--all-ready', '--author', 'E2E']);
    if (record.code !== 0) throw new Error(record.output);
    // The certification time is the one field that is the clock's.
    const lock = ws.read('specs/_lock.json').replace(/"ts": "[^"]+"/g, '"ts": "<time>"');
    const actual = { projects, targets, hashes, lock };
    if (process.env.UPDATE_FIXTURES) writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
    if (!existsSync(FIXTURE)) throw new Error(`${FIXTURE} is missing; record it with UPDATE_FIXTURES=1`);
    const expected = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    expect(actual.projects).toEqual(expected.projects);
    expect(actual.targets).toEqual(expected.targets);
    expect(actual.hashes).toEqual(expected.hashes);
    expect(actual.lock).toBe(expected.lock);
  });

  it('keeps every task hash under the cache environment variables, and every signature under the cache option', () => {
    const ws = TestWorkspace.fromExample('fingerprint-cache');
    const env = { SPECTHIS_CACHE_URL: 'file:///nowhere', SPECTHIS_CACHE_READ: '0', SPECTHIS_CACHE_WRITE: '0' };
    const run = (...extra: string[]) => {
      const r = ws.nxEnv(env, 'run-many', '-t', 'compute', 'export', '--outputStyle=static', ...extra);
      if (r.code !== 0) throw new Error(r.output);
    };
    run();
    const hashes = ws
      .lastRun()
      .map((t) => `${t.taskId} ${t.hash}`)
      .sort();
    expect(hashes).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')).hashes);
    // Nx hashes all of nx.json into every task (nrwl/nx#28047), so the option moves Nx's hashes once; it must not move a
    // run signature: every entry is still fresh, nothing runs again, and the receipts keep their bytes.
    const receipts = () =>
      Object.fromEntries(
        ws
          .lastRun()
          .filter((t) => t.taskId.includes('--'))
          .map((t) => [t.taskId, ws.read(`.specthis/receipts/${t.taskId.split('--')[1]}.json`)]),
      );
    const before = receipts();
    const nxJson = JSON.parse(ws.read('nx.json'));
    nxJson.plugins[0].options.cache = { url: 'team-cache', read: false, write: false };
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    run('--skip-nx-cache');
    expect(
      ws
        .lastRun()
        .map((t) => t.hash)
        .sort(),
    ).not.toEqual(hashes.map((h) => h.split(' ')[1]).sort());
    expect(receipts()).toEqual(before);
  });
});
