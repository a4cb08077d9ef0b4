import type { NxJsonConfiguration } from '@nx/devkit';
import { devNull, TempWorkspace, PIPELINE } from '../../core/run/__fixtures__/workspace';
import { runWith } from './executor';

let ws: TempWorkspace;
let lines: string[];
// Nothing here is certified: the unbound warning is left out (core/run/run-entry-certification.spec.ts tests it).
const log = {
  info: (m: string) => lines.push(m),
  warn: (m: string) => / was never certified /.test(m) || lines.push(m),
  error: (m: string) => lines.push(m),
};
const context = (plugins: NxJsonConfiguration['plugins']) => ({ root: ws.root, nxJsonConfiguration: { plugins } });
const REGISTERED = [{ plugin: '@specthis/nx', options: { specsDir: 'research/specs' } }];
const run = (options: { entry?: string; spec?: string }, plugins: NxJsonConfiguration['plugins'] = REGISTERED) =>
  runWith(options, context(plugins), { log, stdout: devNull(), stderr: devNull() });

beforeEach(() => {
  lines = [];
  ws = new TempWorkspace(Object.fromEntries(Object.entries(PIPELINE).map(([p, t]) => [p.replace(/^specs\//, 'research/specs/'), t])));
});
afterEach(() => ws.cleanup());

describe('run executor', () => {
  it('runs an entry under the specsDir registered in nx.json, then reports it fresh', async () => {
    expect(await run({ entry: 'clean' })).toEqual({ success: true });
    lines = [];
    expect(await run({ entry: 'clean' })).toEqual({ success: true });
    expect(lines).toEqual(['specthis: clean is fresh (receipt matches inputs and 2 output files); nothing to do']);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('fails a script TBD entry and an unknown one', async () => {
    expect(await run({ entry: 'todo' })).toEqual({ success: false });
    expect(lines[0]).toMatch(
      /^research\/specs\/compute-fit\.md:20: error: todo is script TBD: waiting for the 2024 extract \[run-script-tbd\]\n/,
    );
    expect(await run({ entry: 'clean' }, ['@specthis/nx'])).toEqual({ success: false });
    expect(lines[1]).toMatch(/^specs: error: no entry "clean" in specs\/ \[run-unknown-entry\]/);
  });

  it('prints the diagnostics of a spec given by path', async () => {
    ws.edit('research/specs/compute-clean.md', 'kind: compute', 'kind: computer');
    expect(await run({ spec: 'research/specs/compute-clean.md' })).toEqual({ success: false });
    expect(lines[0]).toMatch(/^research\/specs\/compute-clean\.md:3: error: unknown kind "computer" \[front-matter-kind\]/);
    lines = [];
    expect(await run({ entry: 'clean' })).toEqual({ success: false });
    expect(lines[lines.length - 1]).toMatch(
      /^research\/specs\/compute-clean\.md: error: clean is declared in research\/specs\/compute-clean\.md, which has 1 error \[run-blocked-spec\]\n(.*\n)+  docs: research\/specs\/README\.md#run-blocked-spec$/,
    );
  });

  it('fails an uncertified entry when nx.json sets requireCertified', async () => {
    expect(
      await run({ entry: 'clean' }, [{ plugin: '@specthis/nx', options: { specsDir: 'research/specs', requireCertified: true } }]),
    ).toEqual({ success: false });
    expect(lines).toEqual([
      expect.stringMatching(
        /^research\/specs\/compute-clean\.md:12: error: clean was never certified \(no record in research\/specs\/_lock\.json\) and the plugin option "requireCertified" is true, so it does not run \[run-unbound\]\n/,
      ),
    ]);
  });

  it('wants exactly one of entry and spec', async () => {
    expect(await run({})).toEqual({ success: false });
    expect(await run({ entry: 'clean', spec: 'research/specs/compute-clean.md' })).toEqual({ success: false });
    expect(lines[0]).toMatch(/^specthis: the run executor takes either "entry" .* or "spec"/);
  });
});
