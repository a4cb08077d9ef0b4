import { describeJobEnd, isFinal, parseJobRecord, parseSacctLine, signalName, stuckReason, type JobRecord } from './job-record';

/** Lines as `scontrol show job -o` printed them on SLURM 22.05.8 (scripts/slurm-dev.sh's cluster). */
const COMPLETED =
  'JobId=115 JobName=a b UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901645 Nice=0 Account=(null) QOS=(null) JobState=COMPLETED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=0 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=00:05:00 TimeMin=N/A SubmitTime=2026-12-01T10:27:18 EligibleTime=2026-12-01T10:27:18 AccrueTime=Unknown StartTime=2026-12-01T10:27:18 EndTime=2026-12-01T10:27:18 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-01T10:27:18 Scheduler=Main Partition=debug AllocNode:Sid=localhost:21781 ReqNodeList=(null) ExcNodeList=(null) NodeList=localhost BatchHost=localhost NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=256M,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryCPU=256M MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/bin/sh WorkDir=/tmp Power= \n';
const PENDING_TOO_LONG =
  'JobId=120 JobName=cpu-probe UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901641 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=PartitionTimeLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=0 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=1-02:00:00 TimeMin=N/A SubmitTime=2026-12-01T10:32:17 EligibleTime=2026-12-01T10:32:17 AccrueTime=2026-12-01T10:32:17 StartTime=Unknown EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-01T10:32:17 Scheduler=Main Partition=short AllocNode:Sid=localhost:21781 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:* TRES=cpu=2,mem=512M,node=1,billing=2 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=2 MinMemoryCPU=256M MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/bin/sh WorkDir=/tmp Power= \n';
const HELD =
  'JobId=119 JobName=pend-probe UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=0 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=JobHeldUser Dependency=(null) Requeue=1 Restarts=0 BatchFlag=0 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A Partition=debug NodeList= Command=true WorkDir=/tmp Power= ';

const line = (fields: string) => `JobId=7 JobName=fit--0a1b2c3d ${fields} Partition=debug NodeList=localhost Command=/bin/sh WorkDir=/w`;

describe('parseJobRecord', () => {
  it('reads the fields a run needs from a real record', () => {
    // `-o` does not quote values: a name with a space is cut there (the runner's names have none).
    expect(parseJobRecord(COMPLETED)).toEqual({
      jobId: '115',
      jobName: 'a',
      state: 'COMPLETED',
      exitCode: 0,
      exitSignal: 0,
      timeLimit: '00:05:00',
      timeLimitS: 300,
      partition: 'debug',
      nodeList: 'localhost',
    });
    expect(parseJobRecord(PENDING_TOO_LONG)).toEqual({
      jobId: '120',
      jobName: 'cpu-probe',
      state: 'PENDING',
      reason: 'PartitionTimeLimit',
      exitCode: 0,
      exitSignal: 0,
      timeLimit: '1-02:00:00',
      timeLimitS: 26 * 3600,
      partition: 'short',
    });
  });

  it('reads an exit code and signal, and no limit for UNLIMITED', () => {
    expect(parseJobRecord(line('JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 TimeLimit=UNLIMITED'))).toMatchObject({
      state: 'FAILED',
      reason: 'NonZeroExitCode',
      exitCode: 3,
      exitSignal: 0,
      timeLimit: 'UNLIMITED',
    });
    expect(parseJobRecord(line('JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 TimeLimit=UNLIMITED'))!.timeLimitS).toBeUndefined();
    expect(parseJobRecord(line('JobState=FAILED Reason=JobLaunchFailure ExitCode=0:9'))).toMatchObject({ exitCode: 0, exitSignal: 9 });
  });

  it('takes the first occurrence of a field, so free text later in the line cannot pose as one', () => {
    const r = parseJobRecord(`${line('JobState=RUNNING ExitCode=0:0')} Comment=x JobState=COMPLETED ExitCode=0:0`)!;
    expect(r.state).toBe('RUNNING');
    expect(parseJobRecord('JobId=1 xJobState=COMPLETED JobState=FAILED')!.state).toBe('FAILED');
  });

  it('has nothing for output without a record', () => {
    expect(parseJobRecord('')).toBeUndefined();
    expect(parseJobRecord('slurm_load_jobs error: Invalid job id specified\n')).toBeUndefined();
    expect(parseJobRecord('JobId=3 JobName=x')).toBeUndefined();
  });

  it('reads the first of several records (an array or heterogeneous job)', () => {
    expect(parseJobRecord(`${line('JobState=RUNNING')}\n${line('JobState=PENDING').replace('JobId=7', 'JobId=8')}\n`)!.state).toBe(
      'RUNNING',
    );
  });
});

describe('parseSacctLine', () => {
  it('reads sacct -P output, "CANCELLED by <uid>" included', () => {
    expect(parseSacctLine('42|CANCELLED by 1000|0:15|short|node[01-02]|01:00:00\n')).toEqual({
      jobId: '42',
      state: 'CANCELLED',
      exitCode: 0,
      exitSignal: 15,
      partition: 'short',
      nodeList: 'node[01-02]',
      timeLimit: '01:00:00',
      timeLimitS: 3600,
    });
    expect(parseSacctLine('43|PENDING|0:0|debug|None assigned|UNLIMITED')).toEqual({
      jobId: '43',
      state: 'PENDING',
      exitCode: 0,
      exitSignal: 0,
      partition: 'debug',
      timeLimit: 'UNLIMITED',
    });
    expect(parseSacctLine('')).toBeUndefined();
  });
});

describe('states', () => {
  it('knows which states are final', () => {
    for (const s of ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE'])
      expect(isFinal(s)).toBe(true);
    for (const s of ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'REQUEUED', 'RESIZING', 'SIGNALING', 'STAGE_OUT'])
      expect(isFinal(s)).toBe(false);
  });

  it('knows pending reasons that never resolve by waiting', () => {
    expect(stuckReason(parseJobRecord(HELD)!)).toBe('it is held (scontrol hold); a held job never starts by itself');
    expect(stuckReason(parseJobRecord(PENDING_TOO_LONG)!)).toBe(
      "its time limit exceeds the partition's maximum: ask for less time= or another partition=",
    );
    expect(stuckReason({ jobId: '1', state: 'PENDING', reason: 'Resources' })).toBeUndefined();
    expect(stuckReason({ jobId: '1', state: 'PENDING', reason: 'Priority' })).toBeUndefined();
    expect(stuckReason({ jobId: '1', state: 'CANCELLED', reason: 'JobHeldUser' })).toBeUndefined();
  });

  it('names signals', () => {
    expect(signalName(9)).toBe('SIGKILL');
    expect(signalName(15)).toBe('SIGTERM');
    expect(signalName(250)).toBeUndefined();
  });
});

describe('describeJobEnd', () => {
  const job = (state: string, extra: Partial<JobRecord> = {}): JobRecord => ({
    jobId: '12',
    state,
    nodeList: 'node07',
    partition: 'short',
    exitCode: 0,
    exitSignal: 0,
    timeLimit: '02:00:00',
    ...extra,
  });

  it.each<[string, Partial<JobRecord>, string]>([
    ['COMPLETED', {}, 'SLURM job 12 COMPLETED on node07 (partition short), exit 0'],
    ['FAILED', { exitCode: 3 }, 'SLURM job 12 FAILED on node07 (partition short): its command exited 3'],
    ['FAILED', { exitSignal: 9 }, 'SLURM job 12 FAILED on node07 (partition short): its command was killed by SIGKILL'],
    ['FAILED', { exitSignal: 200 }, 'SLURM job 12 FAILED on node07 (partition short): its command was killed by signal 200'],
    [
      'TIMEOUT',
      { exitSignal: 15 },
      'SLURM job 12 hit its time limit (02:00:00) and was stopped (TIMEOUT) on node07 (partition short): ask for more with time= in its Resources: line',
    ],
    ['CANCELLED', { exitSignal: 15 }, 'SLURM job 12 was CANCELLED on node07 (partition short) (SIGTERM)'],
    ['CANCELLED', { nodeList: undefined }, 'SLURM job 12 was CANCELLED'],
    [
      'OUT_OF_MEMORY',
      {},
      'SLURM job 12 ran out of memory (OUT_OF_MEMORY) on node07 (partition short): ask for more with mem= in its Resources: line',
    ],
    ['NODE_FAIL', {}, 'SLURM job 12 ended because its node failed (NODE_FAIL) on node07 (partition short): run it again'],
    [
      'PREEMPTED',
      {},
      'SLURM job 12 was PREEMPTED by a higher-priority job on node07 (partition short): run it again, or use a partition or qos that is not preemptible',
    ],
    ['BOOT_FAIL', {}, 'SLURM job 12 could not start: its node failed to boot (BOOT_FAIL) on node07 (partition short): run it again'],
    ['DEADLINE', {}, 'SLURM job 12 missed its deadline (DEADLINE) on node07 (partition short)'],
    ['SPECIAL_EXIT', { reason: 'Foo' }, 'SLURM job 12 ended in state SPECIAL_EXIT (Foo) on node07 (partition short)'],
  ])('%s %j', (state, extra, message) => expect(describeJobEnd(job(state, extra))).toBe(message));
});
