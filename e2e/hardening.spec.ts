import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

/**
 * The cases of the adversarial pass that need the real Nx (issue 13): a cache
 * restore that must not touch input data, links out of the workspace, names
 * too long for a file, a command cut short, a Run: file certification must
 * cover, a lock that cannot be read, and no stack trace anywhere.
 */
const SECRET = 'root:x:0:0:specthis-planted-secret:/root:/bin/bash';
const entry = (name: string, output: string, more = '') =>
  `### ${name}\n- Script: \`scripts/${name}.py\`\n- Output: \`${output}\`\n${more}- Status: script ready\n`;
const compute = (stem: string, blocks: string) => `---\nname: ${stem}\nkind: compute\n---\n\nWrites results.\n\n## Entries\n\n${blocks}`;
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('hardening', () => {
  let ws: TestWorkspace;
  let outside: string;
  const specthis = (...args: string[]) =>
    ws.exec(process.execPath, [join(ws.root, 'node_modules', '@specthis', 'nx', 'dist', 'cli', 'main.js'), ...args]);

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'specthis-outside-'));
    writeFileSync(join(outside, 'passwd'), `${SECRET}\n`);
    writeFileSync(join(outside, 'evil.py'), `print(open('${join(outside, 'passwd')}').read())\n`);
    ws = TestWorkspace.fromExample('hardening');
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('never lets an output outside its place take input data with it on a cache restore', () => {
    ws.write('scripts/summary.py', "import json\njson.dump({'n': 1}, open('data/summary.json', 'w'))\n");
    ws.write(
      'specs/data/compute-summary.md',
      compute('compute-summary', entry('summary', 'data/summary.json').replace('scripts/summary.py', 'scripts/summary.py')),
    );
    ws.commitAll('a summary written into data/');
    const first = ws.nx('run-many', '-t', 'compute', '--outputStyle=static');
    expect(first.code).not.toBe(0);
    expect(first.output).toMatch(
      /specs\/data\/compute-summary\.md:\d+: error: entry "summary" puts its output outside its place: data\/summary\.json is not under results\/ \(the entry would own data\/\) \[routing-leak\]/,
    );
    // Every other entry ran.
    expect(ws.exists('results/compute-clean-clean-panel/panel.json') || ws.exists('results')).toBe(true);
    const panel = ws.read('data/wage_panel.csv');
    ws.write('data/wage_panel.csv', `${panel}# an edit of the input data\n`);
    ws.write('data/extract-2022.csv', 'year,wage\n2022,1\n');
    ws.nx('run-many', '-t', 'compute', '--outputStyle=static');
    expect(ws.read('data/wage_panel.csv')).toBe(`${panel}# an edit of the input data\n`);
    expect(ws.exists('data/extract-2022.csv')).toBe(true);
    ws.git('checkout', '--', '.');
    ws.exec('rm', ['-f', 'specs/data/compute-summary.md', 'scripts/summary.py', 'data/extract-2022.csv']);
    ws.commitAll('drop the summary');
  });

  it('never reads a spec, script or workflow that links out of the workspace', () => {
    symlinkSync(join(outside, 'passwd'), ws.path('specs/data/linked.md'));
    symlinkSync(join(outside, 'evil.py'), ws.path('scripts/evil.py'));
    ws.write('specs/data/compute-evil.md', compute('compute-evil', entry('evil', 'results/compute-evil-evil/out.json')));
    const spec = ws.nx('run', 'specs-data:invalid--linked', '--outputStyle=static');
    expect(spec.code).not.toBe(0);
    expect(spec.output).toContain(
      `spec specs/data/linked.md is a link to ${join(outside, 'passwd')}, outside the workspace; it is not read [spec-outside-workspace]`,
    );
    const run = ws.nx('run', 'specs-data:compute--evil', '--outputStyle=static', '--skip-nx-cache');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      `evil names scripts/evil.py, a link to ${join(outside, 'evil.py')}: outside the workspace, so it is not run [path-outside-workspace]`,
    );
    expect(run.output).not.toContain(SECRET);
    expect(ws.exists('results/compute-evil-evil')).toBe(false);
    const certify = specthis('lock', 'record', 'evil', '--author', 'E2E');
    expect(certify.code).toBe(1);
    expect(certify.output).toContain('outside the workspace');
    expect(ws.exists('specs/_lock.json')).toBe(false);
    const audit = specthis('audit', '--no-write');
    expect(audit.output).toMatch(/error: .*scripts\/evil\.py.* outside the workspace.* \[path-outside-workspace\]/);
    expect(ws.nxOk('run', 'specs:dashboard', '--outputStyle=static').code).toBe(0);
    expect(ws.read('specs/specs.html')).not.toContain('specthis-planted-secret');
    for (const d of [spec, run, certify, audit]) noStack(d.output);
    ws.exec('rm', ['-f', 'specs/data/linked.md', 'scripts/evil.py', 'specs/data/compute-evil.md', 'specs/specs.html']);
  });

  it('refuses an entry name too long for a file, at parse time, and runs the rest', () => {
    const long = `a${'b'.repeat(250)}`;
    ws.write('scripts/long.py', "print('never')\n");
    ws.write(
      'specs/data/compute-long.md',
      compute('compute-long', `### ${long}\n- Script: \`scripts/long.py\`\n- Output: \`results/long/out.json\`\n- Status: script ready\n`),
    );
    const r = ws.nx('run-many', '-t', 'compute', '--outputStyle=static');
    expect(r.output).toMatch(/entry names are at most 128 characters \(this one has 251\); they name files \[entry-name\]/);
    expect(r.output).not.toMatch(/ENAMETOOLONG/);
    noStack(r.output);
    ws.exec('rm', ['-f', 'specs/data/compute-long.md', 'scripts/long.py']);
  });

  it('refuses a Run: value that would be cut, and certifies the files a Run: command names', () => {
    ws.write(
      'scripts/ok.py',
      "import json, os\nos.makedirs('results/compute-runs-cut', exist_ok=True)\njson.dump({}, open('results/compute-runs-cut/out.json', 'w'))\n",
    );
    ws.write(
      'specs/data/compute-runs.md',
      compute('compute-runs', entry('cut', 'results/compute-runs-cut/out.json', '- Run: `python3 scripts/ok.py` && `touch x`\n')),
    );
    const cut = ws.nx('run', 'specs-data:invalid--compute-runs', '--outputStyle=static');
    expect(cut.output).toMatch(/"Run:" holds 2 code spans; a command is one span, and the others would not run \[entry-field-value\]/);
    expect(ws.exists('x')).toBe(false);

    ws.write('config/extra.json', '{"alpha": 1}\n');
    ws.write(
      'scripts/cfg.py',
      "import json, os, sys\nos.makedirs('results/compute-runs-cfg', exist_ok=True)\njson.dump(json.load(open(sys.argv[1])), open('results/compute-runs-cfg/out.json', 'w'))\n",
    );
    ws.write(
      'specs/data/compute-runs.md',
      compute('compute-runs', entry('cfg', 'results/compute-runs-cfg/out.json', '- Run: `python3 scripts/cfg.py config/extra.json`\n')),
    );
    ws.commitAll('a Run: that names a config');
    expect(specthis('lock', 'record', 'cfg', '--author', 'E2E').code).toBe(0);
    expect(ws.read('specs/_lock.json')).toContain('"role": "run-file",\n        "path": "config/extra.json"');
    ws.nxOk('run', 'specs-data:compute--cfg', '--outputStyle=static');
    ws.write('config/extra.json', '{"alpha": 2}\n');
    const moved = ws.nx('run', 'specs-data:compute--cfg', '--outputStyle=static');
    expect(moved.code).not.toBe(0);
    expect(moved.output).toMatch(/cfg needs a spec audit: run-file config\/extra\.json changed since E2E certified it/);
    expect(ws.lastRun()[0].cacheStatus).toBe('cache-miss');
    ws.exec('rm', [
      '-rf',
      'specs/data/compute-runs.md',
      'scripts/ok.py',
      'scripts/cfg.py',
      'config/extra.json',
      'specs/_lock.json',
      'results/compute-runs-cfg',
    ]);
    ws.commitAll('drop the runs');
  });

  it('says in one line, from every front end, that a lock cannot be read', () => {
    mkdirSync(ws.path('specs/_lock.json'));
    const run = ws.nx('run', 'specs-data:compute--clean-panel', '--outputStyle=static', '--skip-nx-cache');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('specs/_lock.json: error: specs/_lock.json is a directory, not a file [lock-unreadable]');
    const status = specthis('status');
    expect(status.code).toBe(3);
    expect(status.stderr).toContain('specs/_lock.json is a directory, not a file [lock-unreadable]');
    const dashboard = ws.nx('run', 'specs:dashboard', '--outputStyle=static');
    expect(dashboard.code).toBe(0);
    expect(ws.read('specs/specs.html')).toContain('specs/_lock.json is a directory, not a file');
    for (const d of [run, status, dashboard]) noStack(d.output);
    rmSync(ws.path('specs/_lock.json'), { recursive: true });
  });
});
