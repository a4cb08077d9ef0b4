/** What runSlurmJob does without a cluster; core/slurm/run-job.cluster.spec.ts runs it against a real one. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runSlurmJob } from './run-job';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'specthis-slurm-unit-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));
const quiet = () => new Writable({ write: (_c, _e, done) => done() });

it('refuses a log file outside the workspace, naming the right form', async () => {
  for (const logFile of ['../x.log', '/tmp/x.log', '.'])
    await expect(runSlurmJob({ root, entry: 'e', command: 'true', logFile })).rejects.toThrow(
      `runSlurmJob: logFile "${logFile}" is not inside the workspace ${root}; expected a workspace-relative path such as .specthis/logs/e.log`,
    );
  expect(existsSync(join(root, '.specthis'))).toBe(false);
});

it('says which SLURM command is missing, and logs it like a run', async () => {
  const r = await runSlurmJob({ root, entry: 'e', command: 'true', env: { PATH: join(root, 'no-bin') }, stdout: quiet(), stderr: quiet() });
  expect(r).toMatchObject({ ok: false, state: 'NOT_SUBMITTED', exitCode: null, aborted: false, logFile: '.specthis/logs/e.log' });
  expect(r.jobId).toBeUndefined();
  expect(r.message).toBe(
    "srun is not installed or not on PATH: the slurm runner needs SLURM's client commands (srun, squeue, scontrol, scancel) on this machine, configured for the cluster (SLURM_CONF or /etc/slurm/slurm.conf)",
  );
  const log = readFileSync(join(root, '.specthis/logs/e.log'), 'utf8').split('\n');
  expect(log[0]).toBe(`# specthis: e started ${r.start}: true`);
  expect(log[1]).toBe(`# specthis: e ${r.message} after ${r.durationMs} ms, ${r.end}`);
});
