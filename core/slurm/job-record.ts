import { constants } from 'node:os';
import { parseSlurmTime } from '../spec/resources';

/**
 * One job as `scontrol show job -o <id>` prints it (one line of `Key=value`
 * words). Without slurmdbd this is the only record of a job, and it lasts
 * MinJobAge seconds after the job ends.
 */
export interface JobRecord {
  jobId: string;
  jobName?: string;
  /** As SLURM prints it: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, ... */
  state: string;
  /** Why a job waits or ended (`Resources`, `JobHeldUser`, `NonZeroExitCode`, `TimeLimit`); undefined for `None`. */
  reason?: string;
  /** From `ExitCode=<code>:<signal>`: the command's exit status, and the signal that ended it (0: none). */
  exitCode?: number;
  exitSignal?: number;
  /** Seconds; undefined when the job has no limit (`UNLIMITED`) or the field is missing. */
  timeLimitS?: number;
  /** The limit as SLURM prints it, for messages. */
  timeLimit?: string;
  partition?: string;
  /** The allocated node(s) in SLURM's compressed form (`node[01-04]`); undefined while pending. */
  nodeList?: string;
}

/** States after which nothing of the job runs any more (SLURM's base job states, less the active ones). */
const FINAL_STATES = new Set([
  'BOOT_FAIL',
  'CANCELLED',
  'COMPLETED',
  'DEADLINE',
  'FAILED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'TIMEOUT',
]);

/**
 * Pending reasons no amount of waiting resolves: a person must release the job
 * or fix the request. Waiting on them is how `sbatch --wait` hangs forever.
 */
const STUCK_REASONS: Record<string, string> = {
  JobHeldUser: 'it is held (scontrol hold); a held job never starts by itself',
  JobHeldAdmin: 'an administrator holds it; a held job never starts by itself',
  PartitionTimeLimit: "its time limit exceeds the partition's maximum: ask for less time= or another partition=",
  PartitionNodeLimit: 'it asks for more nodes than the partition allows: choose another partition=',
  AssocMaxWallDurationPerJobLimit: 'its time limit exceeds what the account may ask for: ask for less time= or another account=',
  InvalidAccount: 'its account is not valid: fix account= (or the default account)',
  InvalidQOS: 'its QOS is not valid: fix qos=',
  BadConstraints: 'no node can satisfy its constraints: fix the request (cpus=, mem=, extraArgs)',
  DependencyNeverSatisfied: 'it depends on a job that can no longer succeed',
};

/** Parses the first record of `scontrol show job -o` output; undefined when there is none. */
export function parseJobRecord(output: string): JobRecord | undefined {
  const line = output.split('\n').find((l) => l.startsWith('JobId='));
  if (!line) return undefined;
  // The first occurrence wins: fields SLURM prints early (JobState, ExitCode) cannot be spoofed by a later free-text one.
  const field = (key: string): string | undefined => {
    const m = new RegExp(`(?:^| )${key}=(\\S*)`).exec(line);
    return m ? m[1] : undefined;
  };
  const present = (v: string | undefined) => (v === undefined || v === '' || v === '(null)' || v === 'None' ? undefined : v);
  const jobId = field('JobId');
  const state = field('JobState');
  if (!jobId || !state) return undefined;
  const record: JobRecord = { jobId, state };
  const name = present(field('JobName'));
  if (name) record.jobName = name;
  const reason = present(field('Reason'));
  if (reason) record.reason = reason;
  const exit = /^(\d+):(\d+)$/.exec(field('ExitCode') ?? '');
  if (exit) [record.exitCode, record.exitSignal] = [Number(exit[1]), Number(exit[2])];
  const limit = present(field('TimeLimit'));
  if (limit) {
    record.timeLimit = limit;
    const seconds = parseSlurmTime(limit);
    if (seconds !== undefined) record.timeLimitS = seconds;
  }
  const partition = present(field('Partition'));
  if (partition) record.partition = partition;
  const nodes = present(field('NodeList'));
  if (nodes) record.nodeList = nodes;
  return record;
}

/** One line of `sacct -n -P -X -o JobID,State,ExitCode,Partition,NodeList,Timelimit` (slurmdbd clusters keep records sacct can read). */
export function parseSacctLine(output: string): JobRecord | undefined {
  const line = output.split('\n').find((l) => l.trim());
  if (!line) return undefined;
  const [jobId, rawState, exitCode, partition, nodeList, timeLimit] = line.split('|');
  // sacct prints "CANCELLED by 1000"; the state is the first word.
  const state = rawState?.split(' ')[0];
  if (!jobId || !state) return undefined;
  const record: JobRecord = { jobId, state };
  const exit = /^(\d+):(\d+)$/.exec(exitCode ?? '');
  if (exit) [record.exitCode, record.exitSignal] = [Number(exit[1]), Number(exit[2])];
  if (partition) record.partition = partition;
  if (nodeList && nodeList !== 'None assigned') record.nodeList = nodeList;
  if (timeLimit) {
    record.timeLimit = timeLimit;
    const seconds = parseSlurmTime(timeLimit);
    if (seconds !== undefined) record.timeLimitS = seconds;
  }
  return record;
}

export function isFinal(state: string): boolean {
  return FINAL_STATES.has(state);
}

/** Why a pending job will never start, or undefined when waiting can still help. */
export function stuckReason(record: JobRecord): string | undefined {
  if (record.state !== 'PENDING' || !record.reason) return undefined;
  return Object.prototype.hasOwnProperty.call(STUCK_REASONS, record.reason) ? STUCK_REASONS[record.reason] : undefined;
}

export function signalName(signal: number): NodeJS.Signals | undefined {
  const entry = Object.entries(constants.signals).find(([, n]) => n === signal);
  return entry ? (entry[0] as NodeJS.Signals) : undefined;
}

/**
 * What happened to a finished job, in one sentence for the terminal and the
 * log: the state named as SLURM names it, and what to do about it when that is
 * not obvious. Only COMPLETED with exit 0 is a success.
 */
export function describeJobEnd(record: JobRecord): string {
  const job = `SLURM job ${record.jobId}`;
  const where = record.nodeList ? ` on ${record.nodeList}${record.partition ? ` (partition ${record.partition})` : ''}` : '';
  const sig = record.exitSignal ? (signalName(record.exitSignal) ?? `signal ${record.exitSignal}`) : undefined;
  const limit = record.timeLimit ? ` (${record.timeLimit})` : '';
  switch (record.state) {
    case 'COMPLETED':
      return `${job} COMPLETED${where}, exit ${record.exitCode ?? 0}`;
    case 'FAILED':
      if (sig) return `${job} FAILED${where}: its command was killed by ${sig}`;
      return `${job} FAILED${where}: its command exited ${record.exitCode ?? 'with an unknown code'}`;
    case 'TIMEOUT':
      return `${job} hit its time limit${limit} and was stopped (TIMEOUT)${where}: ask for more with time= in its Resources: line`;
    case 'CANCELLED':
      return `${job} was CANCELLED${where}${sig ? ` (${sig})` : ''}`;
    case 'OUT_OF_MEMORY':
      return `${job} ran out of memory (OUT_OF_MEMORY)${where}: ask for more with mem= in its Resources: line`;
    case 'NODE_FAIL':
      return `${job} ended because its node failed (NODE_FAIL)${where}: run it again`;
    case 'PREEMPTED':
      return `${job} was PREEMPTED by a higher-priority job${where}: run it again, or use a partition or qos that is not preemptible`;
    case 'BOOT_FAIL':
      return `${job} could not start: its node failed to boot (BOOT_FAIL)${where}: run it again`;
    case 'DEADLINE':
      return `${job} missed its deadline (DEADLINE)${where}`;
    default:
      return `${job} ended in state ${record.state}${record.reason ? ` (${record.reason})` : ''}${where}`;
  }
}
