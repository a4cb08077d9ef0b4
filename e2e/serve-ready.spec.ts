import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

/**
 * The `serve` target is continuous and reports when it listens (`readyWhen:
 * { signal: true }`), so a target can wait for the live dashboard and be told
 * where it is: here a probe that fetches the page from NX_READY_URL.
 */
describe('nx: a target that waits for specs:serve to be ready', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('serve-ready');
    ws.write(
      'probe.js',
      [
        'const url = process.env.NX_READY_URL;',
        "if (!url) { console.error('probe: no NX_READY_URL'); process.exit(1); }",
        'fetch(url).then(async (res) => {',
        '  const body = await res.text();',
        '  if (res.status !== 200 || !body.includes(\'id="specthis-data"\')) { console.error(`probe: ${url} answered ${res.status} without the dashboard`); process.exit(1); }',
        '  console.log(`probe: the dashboard answered at ${url}`);',
        '}, (e) => { console.error(`probe: ${url} failed: ${e.message}`); process.exit(1); });',
      ].join('\n'),
    );
    // The inferred specs project, with a free port for serve and a target that waits for it.
    ws.write(
      'specs/project.json',
      JSON.stringify({
        name: 'specs',
        targets: {
          serve: { options: { port: 0 } },
          probe: { command: 'node probe.js', options: { cwd: '{workspaceRoot}' }, dependsOn: [{ target: 'serve', waitFor: 'ready' }] },
        },
      }),
    );
  });

  it('declares the readiness signal on the inferred serve target', () => {
    const project = JSON.parse(ws.nxOk('show', 'project', 'specs', '--json').stdout);
    expect(project.targets.serve).toMatchObject({ continuous: true, readyWhen: { signal: true }, options: { port: 0 } });
  });

  it('starts serve, waits until it listens, and hands its URL to the waiting task', () => {
    const r = ws.nxOk('run', 'specs:probe', '--outputStyle=static');
    expect(r.output).toMatch(/probe: the dashboard answered at http:\/\/127\.0\.0\.1:\d+\//);
  });
});
