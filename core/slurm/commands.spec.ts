import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerProblem, controllerAddress, slurmCommand, slurmEnvironment } from './commands';

describe('slurmEnvironment', () => {
  it('passes SLURM_* input variables through outside an allocation', () => {
    const env = { PATH: '/bin', SLURM_ACCOUNT: 'lab', SLURM_CONF: '/c' };
    expect(slurmEnvironment(env)).toEqual(env);
    expect(slurmEnvironment(env)).not.toBe(env);
  });

  it("drops an enclosing allocation's SLURM_* (all but SLURM_CONF), so srun starts a job of its own", () => {
    for (const id of ['SLURM_JOB_ID', 'SLURM_JOBID'])
      expect(
        slurmEnvironment({ PATH: '/bin', [id]: '9', SLURM_NTASKS: '8', SLURM_CPUS_PER_TASK: '4', SLURM_CONF: '/c', SBATCH_X: 'y' }),
      ).toEqual({
        PATH: '/bin',
        SLURM_CONF: '/c',
        SBATCH_X: 'y',
      });
  });
});

describe('controllerAddress', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'specthis-slurmconf-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const conf = (text: string) => {
    writeFileSync(join(dir, 'slurm.conf'), text);
    return { SLURM_CONF: join(dir, 'slurm.conf') };
  };

  it('reads the host and port slurm.conf names', () => {
    expect(controllerAddress(conf('ClusterName=x\nSlurmctldHost=head01(10.0.0.1)\nSlurmctldHost=head02\nSlurmctldPort=7817\n'))).toBe(
      'head01:7817',
    );
    expect(controllerAddress(conf('  slurmctldhost = ctl # primary\n'))).toBe('ctl:6817');
    expect(controllerAddress(conf('ControlMachine=old\nSlurmctldPort=6820-6823\n'))).toBe('old:6820');
  });

  it('has none for a missing file or one without a controller', () => {
    expect(controllerAddress(conf('ClusterName=x\n# SlurmctldHost=commented\n'))).toBeUndefined();
    expect(controllerAddress({ SLURM_CONF: join(dir, 'absent.conf') })).toBeUndefined();
  });
});

describe('slurmCommand', () => {
  it('reports a command that is not installed, and one that overran its bound', async () => {
    const missing = await slurmCommand('specthis-no-such-command', [], process.env, 1_000);
    expect(missing).toMatchObject({ ok: false, missing: true, timedOut: false });
    expect(answerProblem(missing, 'squeue', 1_000)).toBe('squeue is not installed or not on PATH');
    const t0 = Date.now();
    const slow = await slurmCommand('sleep', ['5'], process.env, 300);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(slow).toMatchObject({ ok: false, timedOut: true, missing: false });
    expect(answerProblem(slow, 'scontrol', 3_000)).toBe('scontrol got no answer within 3 s');
  });

  it("quotes a failed command's last line of stderr, arguments passed without a shell", async () => {
    const failed = await slurmCommand(
      '/bin/sh',
      ['-c', 'echo first >&2; echo "$1" >&2; exit 1', 'sh', '$(not run); x'],
      process.env,
      5_000,
    );
    expect(failed).toMatchObject({ ok: false, timedOut: false, missing: false });
    expect(answerProblem(failed, 'sh', 5_000)).toBe('$(not run); x');
  });
});
