import { hostname } from 'node:os';
import { LockFileError } from '../lock/errors';
import type { CertificationState } from '../lock/classify';
import { readLock } from '../lock/store';
import { hashOutputs, ownedFiles } from '../receipts/outputs';
import type { RunCache } from '../cache/run-cache';
import { deleteReceipt, readReceipt, RECEIPTS_DIR, writeReceipt, type Receipt } from '../receipts/receipt';
import type { Entry } from '../spec/types';
import { describeRealization } from '../state/describe';
import { entryState, type EntryState } from '../state/entry-state';
import type { Classification, RealizationState } from '../state/realization';
import type { WorkspaceModel } from '../workspace/types';
import { mergeSubmission } from '../spec/resources';
import { execute, type ExecuteOptions, type ExecuteResult } from './execute';
import type { RunLogger } from './logger';
import { findEntry, lacksScript, logDiagnostics, pathsOutside } from './preflight';
import * as refusal from './refusals';
import { verifyOutputs } from './verify';

export interface RunEntryOptions extends Pick<ExecuteOptions, 'stdout' | 'stderr' | 'signal' | 'onSpawn' | 'killGraceMs'> {
  log?: RunLogger;
  /** Where the results cache settings come from (SPECTHIS_CACHE_*, the AWS chain); default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface RunEntryResult {
  success: boolean;
  /** refused: not runnable (unknown, blocked, TBD, no script); failed: ran and failed; interrupted: stopped by a signal. */
  outcome: 'fresh' | 'fetched' | 'ran' | 'refused' | 'failed' | 'interrupted';
  /** The realization state before anything ran, when the entry could be classified. */
  state?: RealizationState;
  /** The certification state, when the lock could be read. */
  certification?: CertificationState;
  receipt?: Receipt;
}

/**
 * The `run` target of one entry (docs/architecture.md, "Entry state"), states
 * checked in order: `spec audit needed` fails, `script TBD` fails, `unbound`
 * warns (fails under `requireCertified`), then a fresh entry does nothing;
 * otherwise the receipt is deleted first and written again only after the
 * command exits 0 and its outputs verify, so a failed or interrupted run can
 * never look fresh.
 */
export async function runEntry(root: string, model: WorkspaceModel, name: string, options: RunEntryOptions = {}): Promise<RunEntryResult> {
  const log = options.log ?? console;
  const report = (...d: Parameters<typeof logDiagnostics>[0]) => logDiagnostics(d, log, model.options.specsDir);
  const entry = findEntry(root, model, name, log);
  if (!entry) return { success: false, outcome: 'refused' };
  // Before anything is read: a path that links out of the workspace is refused by name.
  const outside = pathsOutside(root, entry, model.outputRoots.get(entry.name) ?? []);
  if (outside.length) {
    report(refusal.pathOutside(entry, outside));
    return { success: false, outcome: 'refused' };
  }
  let state: EntryState;
  try {
    state = entryState(root, model, entry, readLock(root, model.options.specsDir));
  } catch (error) {
    // A broken lock must stop the run, never read as "unbound".
    if (!(error instanceof LockFileError)) throw error;
    log.error(error.message);
    report(refusal.lockUnreadable(entry, error));
    return { success: false, outcome: 'refused' };
  }
  const { certification: cert, realization: c } = state;
  const refused = { success: false, outcome: 'refused', state: c.state, certification: cert.state } as const;
  const refusedBy =
    cert.state === 'spec audit needed'
      ? refusal.specAuditNeeded(entry, cert)
      : c.state === 'script TBD'
        ? refusal.scriptTbd(entry)
        : cert.state === 'unbound' && model.options.requireCertified
          ? refusal.unbound(model, entry)
          : undefined;
  if (refusedBy) {
    report(refusedBy);
    return refused;
  }
  if (cert.state === 'unbound') report(refusal.unbound(model, entry));
  if (lacksScript(root, entry)) {
    report(refusal.scriptMissing(entry));
    return refused;
  }
  if (c.state === 'fresh') {
    log.info(`specthis: ${name} is fresh (${describeRealization(c.why)}); nothing to do`);
    return { success: true, outcome: 'fresh', state: c.state, certification: cert.state, receipt: c.receipt };
  }
  // Missing or stale here: the results cache may hold these very outputs, made under this signature elsewhere.
  const cache = openCache(root, model, log, options.env ?? process.env);
  try {
    const roots = model.outputRoots.get(entry.name) ?? [];
    if (cache && (await cache.fetch(entry.name, c.live.signature, roots))) {
      return { success: true, outcome: 'fetched', state: c.state, certification: cert.state, receipt: readReceipt(root, entry.name) };
    }
    log.info(`specthis: running ${name} (${c.state}: ${describeRealization(c.why)}): ${c.live.command}`);
    const done = await realize(root, model, entry, c, options, log);
    if (done.success && done.receipt) await cache?.push(entry.name, done.receipt, roots);
    return { ...done, state: c.state, certification: cert.state };
  } finally {
    cache?.close();
  }
}

async function realize(
  root: string,
  model: WorkspaceModel,
  entry: Entry,
  c: Classification,
  options: RunEntryOptions,
  log: RunLogger,
): Promise<Omit<RunEntryResult, 'state' | 'certification'>> {
  const report = (...d: Parameters<typeof logDiagnostics>[0]) => logDiagnostics(d, log, model.options.specsDir);
  deleteReceipt(root, entry.name);
  const run = await runCommand(root, model, entry, c.live.command, options);
  // A stop that lands after the command exited still means "do not vouch for these outputs".
  const aborted = run.aborted || !!options.signal?.aborted;
  const failure = run.failure ?? (aborted ? { what: 'was interrupted', exit: 'stopped' } : undefined);
  if (failure) {
    report(refusal.runFailed(entry, failure.what, failure.exit, run.logFile));
    return { success: false, outcome: aborted ? 'interrupted' : 'failed' };
  }
  const problems = verifyOutputs(root, entry);
  if (problems.length) {
    report(...problems.map((p) => refusal.outputsRefused(entry, p)));
    return { success: false, outcome: 'failed' };
  }
  const outputs = hashOutputs(root, ownedFiles(root, model.outputRoots.get(entry.name) ?? entry.outputs));
  // The signature computed before the run: inputs edited while it ran leave the entry stale, as they should.
  const receipt: Receipt = {
    entry: entry.name,
    signature: c.live.signature,
    command: c.live.command,
    exitCode: 0,
    start: run.start,
    end: run.end,
    durationMs: run.durationMs,
    host: run.job?.node ?? hostname(),
    outputs,
    inputs: c.live.inputs,
    upstream: c.live.upstream,
    ...(run.job ? { runner: run.job } : {}),
  };
  writeReceipt(root, receipt);
  const n = outputs.length;
  log.info(
    `specthis: ${entry.name} done in ${seconds(run.durationMs)}; ${RECEIPTS_DIR}/${entry.name}.json records ${n} output file${n === 1 ? '' : 's'}`,
  );
  return { success: true, outcome: 'ran', receipt };
}

/** The results cache of this run, loaded (the AWS SDK, node-tar) only when one is configured: a local run pays nothing for it. */
function openCache(root: string, model: WorkspaceModel, log: RunLogger, env: NodeJS.ProcessEnv): RunCache | undefined {
  if (!model.options.cache && !env.SPECTHIS_CACHE_URL) return undefined;
  const { RunCache } = require('../cache/run-cache') as typeof import('../cache/run-cache');
  return RunCache.open(root, model.options, log, env);
}

interface CommandRun {
  aborted: boolean;
  start: string;
  end: string;
  durationMs: number;
  logFile: string;
  /** Why the command did not succeed, when it did not. */
  failure?: { what: string; exit: string };
  /** The SLURM job, when it ran on the cluster (recorded in the receipt). */
  job?: NonNullable<Receipt['runner']>;
}

/**
 * The entry's command, here or as one SLURM job (its `Runner:`, else the plugin
 * option `runner`): the same shell command from the workspace root, the same
 * log, the same stop on a signal, the same answer.
 */
async function runCommand(
  root: string,
  model: WorkspaceModel,
  entry: Entry,
  command: string,
  options: RunEntryOptions,
): Promise<CommandRun> {
  const { log: _log, ...executeOptions } = options;
  if ((entry.runner ?? model.options.runner) === 'slurm') {
    const { runSlurmJob } = require('../slurm/run-job') as typeof import('../slurm/run-job');
    const job = await runSlurmJob({
      root,
      entry: entry.name,
      command,
      submission: mergeSubmission(model.options.slurm, entry.resources),
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stderr ? { stderr: options.stderr } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const exit = job.jobId
      ? `SLURM job ${job.jobId}: ${job.state}${job.exitCode !== null ? `, exit code ${job.exitCode}` : ''}`
      : job.state;
    return {
      aborted: job.aborted,
      start: job.start,
      end: job.end,
      durationMs: job.durationMs,
      logFile: job.logFile,
      ...(job.ok
        ? {}
        : { failure: { what: job.aborted ? `was interrupted: ${job.message}` : `failed on the cluster: ${job.message}`, exit } }),
      ...(job.ok && job.jobId
        ? {
            job: {
              kind: 'slurm' as const,
              jobId: job.jobId,
              ...(job.node ? { node: job.node } : {}),
              ...(job.partition ? { partition: job.partition } : {}),
            },
          }
        : {}),
    };
  }
  const local = await execute({ ...executeOptions, root, entry: entry.name, command });
  const failure = describeFailure(local);
  return {
    aborted: local.aborted,
    start: local.start,
    end: local.end,
    durationMs: local.durationMs,
    logFile: local.logFile,
    ...(failure ? { failure } : {}),
  };
}

/** What went wrong with the command, and how it ended, when it did not exit 0. */
function describeFailure(run: ExecuteResult): { what: string; exit: string } | undefined {
  if (run.error) return { what: `could not start its command: ${run.error}`, exit: 'not started' };
  const by = run.stoppedBy ?? run.signal;
  if (run.aborted) return { what: `was interrupted${by ? ` (${by})` : ''}`, exit: by ? `stopped by ${by}` : 'stopped' };
  if (run.signal) return { what: `was killed by ${run.signal}`, exit: `killed by ${run.signal}` };
  if (run.exitCode !== 0) return { what: `failed: its command exited ${run.exitCode}`, exit: `exit code ${run.exitCode}` };
  return undefined;
}

function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
