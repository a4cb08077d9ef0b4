/**
 * runSlurmJob against a real single-node SLURM (scripts/slurm-dev.sh), started
 * here when it does not answer and then stopped here, by its PIDs, whatever
 * happens. The TIMEOUT case needs SLURM's one-minute minimum plus its 30 s
 * enforcement period, so it starts first and is checked last, while the other
 * cases run (the node has 4 CPUs: the long job, two parallel ones and one more fit).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ensureSlurm, restartSlurm, type DevSlurm } from '../../e2e/support/slurm';
import { mergeSubmission, parseResources } from '../spec/resources';
import { runSlurmJob, type RunSlurmJobOptions, type SlurmJobResult } from './run-job';

jest.setTimeout(150_000);

let slurm: DevSlurm;
let root: string;
let timeoutRun: Promise<SlurmJobResult> | undefined;
const jobIds: string[] = [];

function sink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (chunks.push(chunk), done()) });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

function run(entry: string, command: string, extra: Partial<RunSlurmJobOptions> = {}) {
  const out = sink();
  const err = sink();
  const result = runSlurmJob({
    root,
    entry,
    command,
    stdout: out.stream,
    stderr: err.stream,
    env: slurm.env,
    onJob: (id) => jobIds.push(id),
    ...extra,
  });
  return { result, out, err };
}

/** squeue's view of a job: its state, or '' once the controller has forgotten it. */
function queueState(id: string): string {
  return execFileSync('squeue', ['-h', '-t', 'all', '-j', id, '-o', '%T'], { env: slurm.env, encoding: 'utf8' }).trim();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const resources = (text: string) => {
  const parsed = parseResources(text);
  expect(parsed.problems).toEqual([]);
  return mergeSubmission(undefined, parsed.resources);
};

beforeAll(() => {
  slurm = ensureSlurm();
  root = realpathSync(mkdtempSync(join(tmpdir(), 'specthis-slurm-ws-')));
  // SLURM enforces limits in whole minutes: time=0:02 becomes one minute, then up to 30 s until the check sees it.
  timeoutRun = run('overdue', 'echo begun; sleep 300', { submission: resources('time=0:02') }).result;
}, 330_000);

afterAll(async () => {
  // Nothing this file submitted may outlive it, whichever test failed.
  if (jobIds.length) spawnSync('scancel', jobIds, { env: slurm?.env, stdio: 'ignore', timeout: 20_000 });
  await timeoutRun;
  slurm?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
}, 120_000);

it('runs a command as one job from the workspace root, streams and logs its output, and records job, node and partition', async () => {
  const { result, out, err } = run('hello', 'echo "out $0 $#"; echo err >&2; pwd; printf "%s\\n" "$SLURM_JOB_PARTITION"', {
    submission: resources('partition=short cpus=1 mem=100M time=5'),
  });
  const r = await result;
  expect(r).toMatchObject({ ok: true, state: 'COMPLETED', exitCode: 0, node: 'localhost', partition: 'short', aborted: false });
  expect(r.jobId).toMatch(/^\d+$/);
  expect(r.jobName).toMatch(/^hello--[0-9a-f]{8}$/);
  expect(r.message).toBe(`SLURM job ${r.jobId} COMPLETED on localhost (partition short), exit 0`);
  // The local runner's argv: /bin/sh -c <command>, so $0 is /bin/sh and there are no arguments.
  expect(out.text()).toBe(`out /bin/sh 0\n${root}\nshort\n`);
  expect(err.text()).toBe('err\n');
  const log = readFileSync(join(root, '.specthis/logs/hello.log'), 'utf8').split('\n');
  expect(log[0]).toBe(`# specthis: hello started ${r.start}: echo "out $0 $#"; echo err >&2; pwd; printf "%s\\n" "$SLURM_JOB_PARTITION"`);
  expect(log).toEqual(expect.arrayContaining(['out /bin/sh 0', 'err', root]));
  expect(log[log.length - 2]).toBe(
    `# specthis: hello SLURM job ${r.jobId} COMPLETED on localhost (partition short), exit 0 after ${r.durationMs} ms, ${r.end}`,
  );
  expect(queueState(r.jobId!)).toBe('COMPLETED');
});

it('names a failing command FAILED with its exit code', async () => {
  const r = await run('fails', 'echo trying; exit 3').result;
  expect(r).toMatchObject({ ok: false, state: 'FAILED', exitCode: 3, node: 'localhost', partition: 'debug' });
  expect(r.message).toBe(`SLURM job ${r.jobId} FAILED on localhost (partition debug): its command exited 3`);
});

it('refuses what SLURM refuses, and cancels a held job instead of waiting for ever', async () => {
  const bad = await run('nowhere', 'true', { submission: resources('partition=nope') }).result;
  expect(bad).toMatchObject({ ok: false, state: 'NOT_SUBMITTED', exitCode: 1 });
  expect(bad.jobId).toBeUndefined();
  expect(bad.message).toBe(
    'SLURM did not accept the job (srun exited 1: Unable to allocate resources: Invalid partition name specified); check the partition, account, qos and resources it asks for',
  );

  const t0 = Date.now();
  const held = await run('held', 'true', { submission: { extraArgs: ['--hold'] } }).result;
  expect(held).toMatchObject({ ok: false, state: 'CANCELLED' });
  expect(held.message).toBe(
    `SLURM job ${held.jobId} can never start: it is held (scontrol hold); a held job never starts by itself; cancelled it: SLURM job ${held.jobId} was CANCELLED`,
  );
  expect(Date.now() - t0).toBeLessThan(10_000);
});

it('cancels the job on abort and returns once it no longer runs', async () => {
  const controller = new AbortController();
  const { result, out } = run('stopped', 'echo started; sleep 60; echo never', { signal: controller.signal });
  const deadline = Date.now() + 20_000;
  while (!out.text().includes('started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(out.text()).toBe('started\n');
  const t0 = Date.now();
  controller.abort('SIGINT');
  const r = await result;
  expect(Date.now() - t0).toBeLessThan(10_000);
  expect(r).toMatchObject({ ok: false, aborted: true, stoppedBy: 'SIGINT', state: 'CANCELLED' });
  expect(r.message).toBe(`was stopped by SIGINT; SLURM job ${r.jobId} was CANCELLED on localhost (partition debug) (SIGTERM)`);
  expect(queueState(r.jobId!)).toBe('CANCELLED');
  expect(readFileSync(join(root, '.specthis/logs/stopped.log'), 'utf8')).toMatch(
    /\n# specthis: stopped was stopped by SIGINT; SLURM job \d+ was CANCELLED/,
  );
});

it('runs two jobs at once', async () => {
  // Long enough to overlap even when one of them waits for SLURM's next scheduling pass (up to 3 s after another job ended).
  const stamp = 'date +%s%N';
  const t0 = Date.now();
  const [a, b] = [run('left', `${stamp}; sleep 4; ${stamp}`), run('right', `${stamp}; sleep 4; ${stamp}`)];
  const [ra, rb] = await Promise.all([a.result, b.result]);
  expect([ra.state, rb.state]).toEqual(['COMPLETED', 'COMPLETED']);
  expect(ra.jobId).not.toBe(rb.jobId);
  const [aStart, aEnd] = a.out.text().trim().split('\n').map(BigInt);
  const [bStart, bEnd] = b.out.text().trim().split('\n').map(BigInt);
  expect(aStart < bEnd && bStart < aEnd).toBe(true);
  expect(Date.now() - t0).toBeLessThan(8_000);
});

it('fails within its bound, and says why, when the controller stops answering', async () => {
  const { result, out } = run('orphaned', 'echo started; sleep 8; echo finished', {
    bounds: { controllerMs: 3_000, killGraceMs: 1_000, pollMs: 200, maxPollMs: 500 },
  });
  const deadline = Date.now() + 20_000;
  while (!out.text().includes('started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // Long enough for the runner to have read the job's record as RUNNING.
  await new Promise((r) => setTimeout(r, 1_000));
  const ctld = slurm.pid('slurmctld')!;
  let jobId: string | undefined;
  try {
    process.kill(ctld, 'SIGTERM');
    const t0 = Date.now();
    const r = await result;
    jobId = r.jobId;
    // The bound, then up to two kill graces for srun, which itself waits on the absent controller.
    expect(Date.now() - t0).toBeLessThan(3_000 + 2 * 1_000 + 4_000);
    expect(r).toMatchObject({ ok: false, state: 'RUNNING' });
    expect(r.message).toMatch(
      new RegExp(
        `^the SLURM controller at localhost:\\d+ did not answer for 3 s: scontrol got no answer within 3 s \\(scontrol ping: Slurmctld\\(primary\\) at \\S+ is DOWN\\); SLURM job ${r.jobId} may still be running: check with squeue -j ${r.jobId} once the controller is back, and scancel it if so$`,
      ),
    );
  } finally {
    // slurmctld takes seconds to save its state and exit; a start before that would find it "running".
    const until = Date.now() + 30_000;
    while (alive(ctld) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    restartSlurm(slurm.env);
  }
  // What the message tells a person to do, done: the job must not linger.
  execFileSync('scancel', [jobId!], { env: slurm.env });
  const until = Date.now() + 30_000;
  while (!['CANCELLED', 'COMPLETED', 'FAILED', ''].includes(queueState(jobId!)) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 200));
  expect(['CANCELLED', 'COMPLETED', 'FAILED', '']).toContain(queueState(jobId!));
});

it('names a job past its time limit TIMEOUT', async () => {
  const r = await timeoutRun!;
  expect(r).toMatchObject({ ok: false, state: 'TIMEOUT', node: 'localhost', partition: 'debug' });
  expect(r.message).toBe(
    `SLURM job ${r.jobId} hit its time limit (00:01:00) and was stopped (TIMEOUT) on localhost (partition debug): ask for more with time= in its Resources: line`,
  );
  expect(r.durationMs).toBeGreaterThan(60_000);
});
