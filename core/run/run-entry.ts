import { hostname } from 'node:os';
import { hashOutputs, ownedFiles } from '../receipts/outputs';
import { deleteReceipt, RECEIPTS_DIR, writeReceipt, type Receipt } from '../receipts/receipt';
import type { CertificationState } from '../lock/certification';
import type { Entry } from '../spec/types';
import { classify, type Classification, type RealizationState } from '../state/realization';
import type { WorkspaceModel } from '../workspace/types';
import { auditNeededMessage, runCertification, unboundMessage } from './certification';
import { execute, type ExecuteOptions, type ExecuteResult } from './execute';
import type { RunLogger } from './logger';
import { findEntry, scriptProblem } from './preflight';
import { verifyOutputs } from './verify';

export interface RunEntryOptions extends Pick<ExecuteOptions, 'stdout' | 'stderr' | 'signal' | 'onSpawn' | 'killGraceMs'> {
  log?: RunLogger;
}

export interface RunEntryResult {
  success: boolean;
  /** refused: not runnable (unknown, blocked, TBD, no script); failed: ran and failed; interrupted: stopped by a signal. */
  outcome: 'fresh' | 'ran' | 'refused' | 'failed' | 'interrupted';
  /** The realization state before anything ran, when the entry could be classified. */
  state?: RealizationState;
  /** The certification state, when the lock could be read. */
  certification?: CertificationState;
  receipt?: Receipt;
}

/**
 * The `run` target of one entry (DESIGN.md §4), states checked in the design's
 * order: `spec audit needed` fails, `script TBD` fails, `unbound` warns (fails
 * under `requireCertified`), then a fresh entry does nothing; otherwise the
 * receipt is deleted first and written again only after the command exits 0 and
 * its outputs verify, so a failed or interrupted run can never look fresh.
 * (Results-cache fetch and push slot in around `realize`.)
 */
export async function runEntry(root: string, model: WorkspaceModel, name: string, options: RunEntryOptions = {}): Promise<RunEntryResult> {
  const log = options.log ?? console;
  const entry = findEntry(root, model, name, log);
  if (!entry) return { success: false, outcome: 'refused' };
  const c = classify(root, model, entry);
  const cert = runCertification(root, model, entry, c.live.inputs, log);
  if (!cert) return { success: false, outcome: 'refused', state: c.state };
  const refused = { success: false, outcome: 'refused', state: c.state, certification: cert.state } as const;
  if (cert.state === 'spec audit needed') {
    log.error(auditNeededMessage(entry, cert));
    return refused;
  }
  if (c.state === 'script TBD') {
    log.error(
      `specthis: ${name} is script TBD (${c.detail}); ${entry.specFile}:${entry.line} says its script is not ready: author it, then set "- Status: script ready" in that entry`,
    );
    return refused;
  }
  if (cert.state === 'unbound') {
    if (model.options.requireCertified) {
      log.error(unboundMessage(model, entry));
      return refused;
    }
    log.warn(unboundMessage(model, entry));
  }
  const noScript = scriptProblem(root, entry);
  if (noScript) {
    log.error(noScript);
    return refused;
  }
  if (c.state === 'fresh') {
    log.info(`specthis: ${name} is fresh (${c.detail}); nothing to do`);
    return { success: true, outcome: 'fresh', state: c.state, certification: cert.state, receipt: c.receipt };
  }
  log.info(`specthis: running ${name} (${c.reason}): ${c.live.command}`);
  return { ...(await realize(root, model, entry, c, options, log)), state: c.state, certification: cert.state };
}

async function realize(
  root: string,
  model: WorkspaceModel,
  entry: Entry,
  c: Classification,
  options: RunEntryOptions,
  log: RunLogger,
): Promise<Omit<RunEntryResult, 'state' | 'certification'>> {
  deleteReceipt(root, entry.name);
  const { log: _log, ...executeOptions } = options;
  const run = await execute({ ...executeOptions, root, entry: entry.name, command: c.live.command });
  // A stop that lands after the command exited still means "do not vouch for these outputs".
  const failure = describeFailure({ ...run, aborted: run.aborted || !!options.signal?.aborted });
  if (failure) {
    log.error(`specthis: ${entry.name} ${failure} (log: ${run.logFile}); no receipt written, so it is not fresh`);
    return { success: false, outcome: run.aborted ? 'interrupted' : 'failed' };
  }
  const problems = verifyOutputs(root, entry);
  if (problems.length) {
    for (const p of problems) log.error(`specthis: ${p}`);
    log.error(
      `specthis: ${entry.name} exited 0 but its outputs do not meet ${entry.specFile}:${entry.line}; no receipt written, so it is not fresh`,
    );
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
    host: hostname(),
    outputs,
    inputs: c.live.inputs,
    upstream: c.live.upstream,
  };
  writeReceipt(root, receipt);
  const n = outputs.length;
  log.info(
    `specthis: ${entry.name} done in ${seconds(run.durationMs)}; ${RECEIPTS_DIR}/${entry.name}.json records ${n} output file${n === 1 ? '' : 's'}`,
  );
  return { success: true, outcome: 'ran', receipt };
}

function describeFailure(run: ExecuteResult): string | undefined {
  if (run.error) return `could not start its command: ${run.error}`;
  if (run.aborted) return `was interrupted${(run.stoppedBy ?? run.signal) ? ` (${run.stoppedBy ?? run.signal})` : ''}`;
  if (run.signal) return `was killed by ${run.signal}`;
  if (run.exitCode !== 0) return `failed: its command exited ${run.exitCode}`;
  return undefined;
}

function seconds(ms: number): string {
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
