import { execFileSync } from 'node:child_process';
import { ensureSlurm, restartSlurm, type DevSlurm } from './support/slurm';
import { TestWorkspace } from './support/workspace';

jest.setTimeout(600_000);

/**
 * The SLURM runner through the real nx and a real single-node cluster
 * (scripts/slurm-dev.sh, started here when it does not answer and stopped
 * here only then): the example with `runner: slurm` runs as one job per
 * entry, under the same receipt rules as the local runner. The TIMEOUT case
 * needs SLURM's one-minute minimum, so it runs in a workspace of its own from
 * the start and is checked last.
 */
let slurm: DevSlurm;
let ws: TestWorkspace;
let late: TestWorkspace;
let overdue: Promise<{ code: number | null; output: string }>;

const cluster = (entries: string) =>
  `---\nname: compute-cluster\nkind: compute\n---\n\nJobs that go wrong on the cluster.\n\n## Entries\n\n${entries}`;
const job = (name: string, script: string, resources = '') =>
  `### ${name}\n- Script: \`scripts/${script}\`\n- Output: \`results/compute-cluster-${name}/out.json\`\n${resources ? `- Resources: ${resources}\n` : ''}- Status: script ready\n\n`;

function withSlurmRunner(w: TestWorkspace): void {
  const nxJson = JSON.parse(w.read('nx.json'));
  nxJson.plugins = nxJson.plugins.map((p: string | { plugin: string; options?: object }) =>
    (typeof p === 'string' ? p : p.plugin) === '@specthis/nx'
      ? { plugin: '@specthis/nx', options: { ...(typeof p === 'string' ? {} : p.options), runner: 'slurm', slurm: { partition: 'debug' } } }
      : p,
  );
  w.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
}

/** Every job the scheduler still remembers (MinJobAge), as `id name state`; ids from before this suite are left out. */
let seen = new Set<string>();
const queue = () =>
  execFileSync('squeue', ['-h', '-t', 'all', '-o', '%i %j %T'], { env: slurm.env, encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((l) => l && !seen.has(l.split(' ')[0]));
/** This suite's jobs of one entry, as their states. */
const ours = (entry: string) =>
  queue()
    .map((l) => l.split(' '))
    .filter(([, name]) => name.startsWith(`${entry}--`))
    .map(([, , state]) => state);
const receipt = (w: TestWorkspace, entry: string) => JSON.parse(w.read(`.specthis/receipts/${entry}.json`));

beforeAll(() => {
  // A cluster of its own: this suite stops its controller, which must not fail another suite's jobs.
  slurm = ensureSlurm({ dir: '/tmp/specthis-slurm-e2e', port: 6827 });
  seen = new Set(queue().map((l) => l.split(' ')[0]));
  // The runner's srun and squeue find the dev cluster through SLURM_CONF, as on a login node.
  process.env.SLURM_CONF = slurm.env.SLURM_CONF;
  late = TestWorkspace.fromExample('slurm-timeout');
  withSlurmRunner(late);
  late.write('scripts/sleep300.py', 'import time\ntime.sleep(300)\n');
  late.write('specs/data/compute-cluster.md', cluster(job('overdue', 'sleep300.py', 'time=0:02')));
  late.commitAll('an entry past its time limit');
  overdue = late.nxAsync('run', 'specs-data:compute--overdue', '--outputStyle=static').done;
  ws = TestWorkspace.fromExample('slurm');
  withSlurmRunner(ws);
  ws.commitAll('run on the cluster');
}, 330_000);

afterAll(async () => {
  // Nothing submitted here may outlive the suite, whichever test failed.
  const ids = queue()
    .filter((l) => / (PENDING|RUNNING|COMPLETING)$/.test(l))
    .map((l) => l.split(' ')[0]);
  if (slurm && ids.length) execFileSync('scancel', ids, { env: slurm.env });
  await overdue;
  slurm?.stop();
}, 180_000);

describe('entries on the SLURM cluster', () => {
  it('runs every entry of the example as one job, with outputs and receipts as the local runner leaves them', () => {
    const r = ws.nxOk('run-many', '-t', 'compute', 'export', '--parallel=2', '--outputStyle=static');
    for (const entry of ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table']) {
      expect(ours(entry)).toEqual(['COMPLETED']);
      const rec = receipt(ws, entry);
      expect(rec.runner).toMatchObject({ kind: 'slurm', jobId: expect.stringMatching(/^\d+$/), node: 'localhost', partition: 'debug' });
      expect(rec.host).toBe('localhost');
    }
    expect(JSON.parse(ws.read('results/compute-mincer-mincer-baseline/estimates.json'))).toHaveProperty('coefficients');
    expect(ws.read('reports/tables/mincer.tex')).toMatch(/tabular/);
    expect(r.output).toMatch(/specthis: clean-panel done in/);
  });

  it('skips fresh entries on a second run without submitting anything', () => {
    const before = queue().length;
    const r = ws.nxOk('run-many', '-t', 'compute', 'export', '--parallel=2', '--outputStyle=static', '--skip-nx-cache');
    expect(r.output).toMatch(/specthis: mincer-baseline is fresh \(receipt matches inputs and \d+ output files?\); nothing to do/);
    expect(queue()).toHaveLength(before);
  });

  it('fails a failing script as FAILED with its exit code, and leaves no receipt', () => {
    ws.write('scripts/exit3.py', 'raise SystemExit(3)\n');
    ws.write('specs/data/compute-cluster.md', cluster(job('fails', 'exit3.py')));
    const r = ws.nx('run', 'specs-data:compute--fails', '--outputStyle=static');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(
      /error: fails failed on the cluster: SLURM job \d+ FAILED on localhost \(partition debug\): its command exited 3 \[run-failed\]/,
    );
    expect(r.output).toMatch(/received: SLURM job \d+: FAILED, exit code 3/);
    expect(ws.exists('.specthis/receipts/fails.json')).toBe(false);
    expect(ours('fails')).toEqual(['FAILED']);
  });

  it('cancels the job when nx is interrupted, leaving nothing pending or running', async () => {
    ws.write('scripts/sleep60.py', "import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n");
    ws.write('specs/data/compute-cluster.md', cluster(job('sleeper', 'sleep60.py')));
    const run = ws.nxAsync('run', 'specs-data:compute--sleeper', '--outputStyle=static');
    const until = Date.now() + 60_000;
    while (!ours('sleeper').includes('RUNNING') && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(ours('sleeper')).toEqual(['RUNNING']);
    run.child.kill('SIGINT');
    const { code } = await run.done;
    expect(code).not.toBe(0);
    const settled = Date.now() + 30_000;
    while (ours('sleeper').some((state) => /^(PENDING|RUNNING|COMPLETING)$/.test(state)) && Date.now() < settled)
      await new Promise((r) => setTimeout(r, 250));
    expect(ours('sleeper')).toEqual([expect.stringMatching(/^(CANCELLED|FAILED)$/)]);
    expect(ws.exists('.specthis/receipts/sleeper.json')).toBe(false);
  });

  it('stops a job past its time limit as TIMEOUT, and leaves no receipt', async () => {
    const r = await overdue;
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/SLURM job \d+ hit its time limit \(00:01:00\) and was stopped \(TIMEOUT\)/);
    expect(late.exists('.specthis/receipts/overdue.json')).toBe(false);
  });

  // After the TIMEOUT job ended: stopping the controller would fail it otherwise.
  it('fails the task within its bound, saying why, while the controller is down', () => {
    ws.write(
      'scripts/quick.py',
      "import json, os\nos.makedirs('results/compute-cluster-quick', exist_ok=True)\njson.dump({}, open('results/compute-cluster-quick/out.json', 'w'))\n",
    );
    ws.write('specs/data/compute-cluster.md', cluster(job('quick', 'quick.py')));
    const ctld = slurm.pid('slurmctld')!;
    process.kill(ctld, 'SIGTERM');
    try {
      const t0 = Date.now();
      const r = ws.nx('run', 'specs-data:compute--quick', '--outputStyle=static', '--skip-nx-cache');
      expect(r.code).not.toBe(0);
      // The runner's bound on an unanswering controller (30 s) plus srun's own give-up and Nx's start-up.
      expect(Date.now() - t0).toBeLessThan(120_000);
      expect(r.output).toMatch(/the SLURM controller at localhost:\d+ did not answer|SLURM did not accept the job/);
      expect(ws.exists('.specthis/receipts/quick.json')).toBe(false);
    } finally {
      const until = Date.now() + 30_000;
      const alive = () => {
        try {
          process.kill(ctld, 0);
          return true;
        } catch {
          return false;
        }
      };
      while (alive() && Date.now() < until) execFileSync('sleep', ['0.2']);
      restartSlurm(slurm.env);
    }
  });
});
