import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LOGS_DIR } from '../layout';
import { startSentinel } from '../process/sentinel';
import { answerProblem, controllerAddress, slurmCommand, slurmEnvironment, type SlurmAnswer } from './commands';
import { describeJobEnd, isFinal, parseJobRecord, parseSacctLine, signalName, stuckReason, type JobRecord } from './job-record';
import { submissionArgs, type SlurmSubmission } from '../spec/resources';

/**
 * Runs an entry's command as one SLURM job and waits for it (docs/architecture.md, "Cluster").
 *
 *   runSlurmJob({ root, entry, command, submission?, stdout?, stderr?, signal?, logFile?, bounds?, env?, onJob? })
 *     -> Promise<SlurmJobResult>
 *
 * Every outcome of the job, the cluster or the controller is a result (ok: false
 * and a message); it rejects only for the caller's own mistakes: a logFile
 * outside the workspace, a log that cannot be written.
 *
 * Mechanism (docs/decisions.md, "Cluster", has the measurements): the command
 * runs under `srun --nodes=1 --ntasks=1 --chdir=<root> ... /bin/sh -c <command>`,
 * the very argv the local runner uses, so `Run:` lines mean the same on both
 * runners. srun streams the job's stdout and stderr (line by line) into the
 * given streams and into the entry's log, `.specthis/logs/<entry>.log`, with
 * the local runner's header and footer; no output files are left on the
 * cluster. The job is named `<entry>--<nonce>` (entry names never contain
 * `--`), which is how its id is found while srun runs. A supervisor polls
 * `scontrol show job -o <id>` alongside, and reads the final state from it when
 * srun exits (`sacct` when the record is already gone, on clusters with
 * slurmdbd), so TIMEOUT, OUT_OF_MEMORY, NODE_FAIL ... are named, not guessed
 * from srun's exit status. The caller writes a receipt only when `ok`.
 *
 * Bounds (all configurable, `bounds`): a run never hangs.
 * - the controller may go unanswered for `controllerMs` (30 s) in a row; then
 *   the run fails, saying so, and srun is stopped (the job may live on: the
 *   message says how to check);
 * - a running job gets its time limit plus `marginMs` (2 min) before it is
 *   cancelled as overdue (SLURM enforces limits in whole minutes, checked about
 *   every 30 s, then KillWait); a job without a limit runs as long as it runs,
 *   as a local command would;
 * - a pending job that can never start (held, over a partition limit, invalid
 *   account or QOS) is cancelled at once; other waiting is bounded by
 *   `pendingMs` (unbounded by default: queues legitimately take hours);
 * - after a cancel, the job gets `cancelMs` (1 min) to leave the queue.
 * On abort (`signal`, the task's SIGINT/SIGTERM, or Nx stopping the process
 * tree, learnt through the sentinel as in execute.ts) the job is cancelled with
 * `scancel` and the call returns once it is no longer pending or running.
 */

export interface SlurmBounds {
  /** How long the controller may not answer, in a row, before the run gives up. */
  controllerMs?: number;
  /** Added to the job's time limit before the run cancels a job SLURM has not ended. */
  marginMs?: number;
  /** How long a job may wait in the queue; Infinity by default. */
  pendingMs?: number;
  /** How long a cancelled job may take to leave PENDING/RUNNING/COMPLETING. */
  cancelMs?: number;
  /** First interval between state polls; it grows to `maxPollMs` while the job runs. */
  pollMs?: number;
  maxPollMs?: number;
  /** The most one client command (scontrol, squeue, scancel) may take. */
  commandMs?: number;
  /** How long srun gets to exit after its job was cancelled before it is signalled, then killed. */
  killGraceMs?: number;
}

export interface RunSlurmJobOptions {
  /** Workspace root: the job's working directory (the cluster sees it through the shared filesystem). */
  root: string;
  entry: string;
  /** A `/bin/sh -c` command string, as for the local runner. */
  command: string;
  /** What to ask SLURM for: `mergeSubmission(defaults, resources)`; nothing extra by default. */
  submission?: SlurmSubmission;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  signal?: AbortSignal;
  /** Workspace-relative; default `.specthis/logs/<entry>.log` (the local runner's). Must stay inside the workspace. */
  logFile?: string;
  bounds?: SlurmBounds;
  /** Environment of the SLURM commands and the job; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Called once the job's id is known. */
  onJob?: (jobId: string) => void;
}

export interface SlurmJobResult {
  /** COMPLETED with exit 0, not aborted: the only outcome a receipt may be written for. */
  ok: boolean;
  /**
   * SLURM's final JobState (COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY,
   * NODE_FAIL, or any other verbatim), the last state seen when the run had to
   * give up, `NOT_SUBMITTED` when no job was created, or `UNKNOWN` when its
   * record could not be read.
   */
  state: string;
  /** The command's exit status; null when a signal ended it or it is not known. */
  exitCode: number | null;
  signal?: NodeJS.Signals;
  jobId?: string;
  jobName: string;
  /** The node(s) the job ran on, in SLURM's notation. */
  node?: string;
  partition?: string;
  /** One sentence naming what happened, for the terminal (the log's footer says the same). */
  message: string;
  aborted: boolean;
  stoppedBy?: NodeJS.Signals;
  start: string;
  end: string;
  durationMs: number;
  /** Workspace-relative. */
  logFile: string;
}

const DEFAULTS: Required<SlurmBounds> = {
  controllerMs: 30_000,
  marginMs: 120_000,
  pendingMs: Infinity,
  cancelMs: 60_000,
  pollMs: 1_000,
  maxPollMs: 10_000,
  commandMs: 15_000,
  killGraceMs: 10_000,
};
/** Polls while srun's job is being looked up, and while a cancelled job winds down: short, both are brief. */
const FAST_POLL_MS = 100;
/** scontrol's answer for a job id the controller does not (or no longer) know. */
const GONE = /Invalid job id/i;
/** How long a job may stay active after its srun exited before it is cancelled (its completion was lost). */
const SETTLE_MS = 10_000;

export async function runSlurmJob(options: RunSlurmJobOptions): Promise<SlurmJobResult> {
  const bounds = { ...DEFAULTS, ...options.bounds };
  const root = resolve(options.root);
  const logFile = options.logFile ?? `${LOGS_DIR}/${options.entry}.log`;
  const logPath = resolve(root, logFile);
  const rel = relative(root, logPath);
  if (isAbsolute(logFile) || rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new Error(
      `runSlurmJob: logFile "${logFile}" is not inside the workspace ${root}; expected a workspace-relative path such as ${LOGS_DIR}/${options.entry}.log`,
    );
  const env = slurmEnvironment(options.env ?? process.env);
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const jobName = `${options.entry}--${randomBytes(4).toString('hex')}`;

  mkdirSync(dirname(logPath), { recursive: true });
  const log = openSync(logPath, 'w');
  const startDate = new Date();
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - t0) / 1_000_000n);
  writeSync(log, `# specthis: ${options.entry} started ${startDate.toISOString()}: ${options.command}\n`);

  const args = [
    `--job-name=${jobName}`,
    `--chdir=${root}`,
    '--nodes=1',
    '--ntasks=1',
    // The job reads no terminal: the local runner gives it none either.
    '--input=none',
    ...submissionArgs(options.submission ?? { extraArgs: [] }),
    '/bin/sh',
    '-c',
    options.command,
  ];
  const supervisor = new Supervisor(options, bounds, env, jobName);
  const srun = spawn('srun', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  supervisor.attach(srun, log, stdout, stderr);
  const sentinel = startSentinel((sig) => supervisor.abort(sig));
  const onAbort = () => supervisor.abort(isSignalName(options.signal?.reason) ? options.signal!.reason : 'SIGTERM');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  // If this process exits (Nx tearing down, an uncaught error), the job must not run on unsupervised: a killed srun cancels it.
  const onExit = () => supervisor.killAtExit();
  process.on('exit', onExit);

  let outcome: Outcome;
  try {
    outcome = await supervisor.run();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    process.off('exit', onExit);
  }
  const sentinelSignal = await sentinel.finish();
  if (sentinelSignal && !supervisor.stoppedBy) supervisor.stoppedBy = sentinelSignal;
  const stoppedBy = supervisor.stoppedBy;
  const aborted = stoppedBy !== undefined || !!options.signal?.aborted;
  const record = outcome.record;
  const exitSignal = record?.exitSignal ? signalName(record.exitSignal) : undefined;
  const exitCode = record ? (exitSignal ? null : (record.exitCode ?? null)) : (outcome.srunExit ?? null);
  const state = outcome.state ?? record?.state ?? 'UNKNOWN';
  const message = aborted ? `was stopped by ${stoppedBy ?? 'an abort'}; ${outcome.message}` : outcome.message;
  const end = new Date();
  const durationMs = elapsed();
  writeSync(log, `# specthis: ${options.entry} ${message} after ${durationMs} ms, ${end.toISOString()}\n`);
  closeSync(log);
  return {
    ok: !aborted && !outcome.failed && state === 'COMPLETED' && exitCode === 0,
    state,
    exitCode,
    ...(exitSignal ? { signal: exitSignal } : {}),
    ...(supervisor.jobId ? { jobId: supervisor.jobId } : {}),
    jobName,
    ...(record?.nodeList ? { node: record.nodeList } : {}),
    ...(record?.partition ? { partition: record.partition } : {}),
    message,
    aborted,
    ...(stoppedBy ? { stoppedBy } : {}),
    start: startDate.toISOString(),
    end: end.toISOString(),
    durationMs,
    logFile,
  };
}

interface Outcome {
  message: string;
  record?: JobRecord;
  /** Overrides the record's state: NOT_SUBMITTED, UNKNOWN. */
  state?: string;
  /** Failed whatever the record says (gave up, overdue). */
  failed?: boolean;
  srunExit?: number | null;
}

/** Thrown inside the supervisor when the controller stayed silent past its bound. */
class ControllerSilent extends Error {}
/** Thrown when a SLURM client command is not installed here. */
class ClientMissing extends Error {}

/**
 * One run's watch over srun and its job. Every wait is a sleep that srun's exit
 * or an abort cuts short, so the loop reacts at once and never blocks on a
 * client command longer than that command's bound.
 */
class Supervisor {
  jobId?: string;
  stoppedBy?: NodeJS.Signals;
  private srun?: ChildProcess;
  private srunClosed = false;
  private srunExit: number | null = null;
  private srunSignal: NodeJS.Signals | null = null;
  private lastSrunError = '';
  private srunMissing = false;
  private lastRecordGone = false;
  /** Ends the current sleep; an event that lands while no sleep is under way makes the next one return at once. */
  private wakeSleep?: () => void;
  private woken = false;
  private silentSince?: number;
  private lastProblem = '';
  private lastRecord?: JobRecord;
  /** Set once the job was asked to stop; `reason` is undefined when the stop came from the caller (abort). */
  private cancelled?: { reason?: string; at: number };
  private killTimers: NodeJS.Timeout[] = [];

  constructor(
    private readonly options: RunSlurmJobOptions,
    private readonly bounds: Required<SlurmBounds>,
    private readonly env: NodeJS.ProcessEnv,
    private readonly jobName: string,
  ) {}

  attach(srun: ChildProcess, log: number, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void {
    this.srun = srun;
    const tee = (sink: NodeJS.WritableStream, keep: boolean) => (chunk: Buffer) => {
      sink.write(chunk);
      writeSync(log, chunk);
      if (keep) this.lastSrunError = (this.lastSrunError + chunk.toString()).slice(-4096);
    };
    srun.stdout!.on('data', tee(stdout, false));
    srun.stderr!.on('data', tee(stderr, true));
    srun.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') this.srunMissing = true;
      this.lastSrunError += `\nsrun: ${e.message}`;
    });
    srun.on('close', (code, sig) => {
      this.srunClosed = true;
      this.srunExit = code;
      this.srunSignal = sig;
      for (const t of this.killTimers) clearTimeout(t);
      this.wake();
    });
  }

  abort(sig: NodeJS.Signals): void {
    if (this.stoppedBy) return;
    this.stoppedBy = sig;
    this.wake();
  }

  killAtExit(): void {
    this.signalSrun('SIGKILL');
    if (this.jobId) spawn('scancel', [this.jobId], { env: this.env, stdio: 'ignore', detached: true }).unref();
  }

  async run(): Promise<Outcome> {
    try {
      return await this.watch();
    } catch (e) {
      if (e instanceof ClientMissing) return this.clientMissing(this.srunMissing ? 'srun' : e.message);
      if (e instanceof ControllerSilent) return this.giveUp();
      // A bug here must not leave a job running unwatched, nor reject with srun still attached.
      if (this.jobId) await slurmCommand('scancel', [this.jobId], this.env, this.bounds.commandMs);
      this.signalSrun('SIGTERM');
      await this.waitForSrun(this.bounds.killGraceMs);
      this.signalSrun('SIGKILL');
      return {
        record: this.lastRecord,
        state: 'UNKNOWN',
        failed: true,
        message: `the SLURM runner failed while watching its job (${String(e)}); cancelled it`,
      };
    } finally {
      for (const t of this.killTimers) clearTimeout(t);
    }
  }

  private async watch(): Promise<Outcome> {
    let interval = this.bounds.pollMs;
    let runningSince: number | undefined;
    let pendingSince: number | undefined;
    for (;;) {
      if (this.srunMissing) throw new ClientMissing('srun');
      if (this.stoppedBy && !this.cancelled) await this.cancel();
      if (!this.jobId) {
        const found = await this.lookUp();
        if (!found && this.srunClosed) {
          // One more look: a job that came and went between two polls still has its record.
          if (!(await this.lookUp())) return this.notSubmitted();
        }
        if (!this.jobId) {
          await this.sleep(FAST_POLL_MS);
          continue;
        }
      }
      if (this.srunClosed) return this.finalState();
      const record = await this.read();
      if (record) {
        const now = Date.now();
        if (record.state === 'PENDING') pendingSince ??= now;
        if (record.state === 'RUNNING') runningSince ??= now;
        const stuck = stuckReason(record);
        if (stuck && !this.cancelled) await this.cancel(`SLURM job ${record.jobId} can never start: ${stuck}; cancelled it`);
        else if (record.state === 'PENDING' && pendingSince !== undefined && now - pendingSince > this.bounds.pendingMs && !this.cancelled)
          await this.cancel(
            `SLURM job ${record.jobId} waited ${seconds(now - pendingSince)} in the queue (${record.reason ?? 'no reason given'}), longer than its bound of ${seconds(this.bounds.pendingMs)}; cancelled it`,
          );
        else if (
          runningSince !== undefined &&
          record.timeLimitS !== undefined &&
          now - runningSince > record.timeLimitS * 1000 + this.bounds.marginMs &&
          !this.cancelled
        )
          await this.cancel(
            `SLURM job ${record.jobId} ran past its time limit (${record.timeLimit}) by more than ${seconds(this.bounds.marginMs)} and SLURM had not ended it; cancelled it`,
          );
      }
      if (this.cancelled) {
        if (Date.now() - this.cancelled.at > this.bounds.cancelMs) return this.cancelOverdue();
        interval = FAST_POLL_MS;
      } else interval = Math.min(interval * 1.5, this.bounds.maxPollMs);
      await this.sleep(this.silentSince !== undefined ? Math.min(interval, 1_000) : interval);
    }
  }

  /** After srun exited: the job's final state, waiting briefly for SLURM to finish recording it. */
  private async finalState(): Promise<Outcome> {
    const since = Date.now();
    let record: JobRecord | undefined;
    for (;;) {
      record = await this.read();
      if (record && isFinal(record.state)) break;
      if (!record && this.lastRecordGone) {
        record = await this.fromAccounting();
        if (record) break;
        return {
          state: 'UNKNOWN',
          record: this.lastRecord,
          srunExit: this.srunExit,
          failed: true,
          message: `SLURM job ${this.jobId}'s record was gone before its final state could be read (srun ${this.srunStatus()}); without sacct the controller keeps a finished job only for MinJobAge seconds`,
        };
      }
      const waited = Date.now() - since;
      // srun reports the job's end itself; when that report is lost (the controller was away) the job stays RUNNING with nothing in it.
      if (record && record.state !== 'COMPLETING' && !this.cancelled && waited > SETTLE_MS)
        await this.cancel(
          `srun ${this.srunStatus()} but SLURM job ${this.jobId} stayed ${record.state} for ${seconds(waited)}; cancelled it`,
        );
      const bound = this.cancelled ? this.cancelled.at + this.bounds.cancelMs : since + SETTLE_MS + this.bounds.cancelMs;
      if (Date.now() > bound) return this.cancelOverdue();
      await this.sleep(FAST_POLL_MS * 2);
    }
    const ended = describeJobEnd(record);
    const reason = this.cancelled?.reason;
    return { record, message: reason ? `${reason}: ${ended}` : ended, failed: reason !== undefined };
  }

  /** The job's record, or undefined when the controller did not answer (within the silence bound) or the job is unknown to it. */
  private async read(): Promise<JobRecord | undefined> {
    const answer = await this.ask('scontrol', ['show', 'job', '-o', this.jobId!]);
    this.lastRecordGone = !answer.ok && GONE.test(answer.stderr);
    if (!answer.ok) return undefined;
    const record = parseJobRecord(answer.stdout);
    if (record) this.lastRecord = record;
    return record;
  }

  private async lookUp(): Promise<boolean> {
    const answer = await this.ask('squeue', ['-h', '-t', 'all', `--name=${this.jobName}`, '-o', '%i']);
    const id = answer.ok
      ? answer.stdout
          .split('\n')
          .map((l) => l.trim())
          .find(Boolean)
      : undefined;
    if (!id) return false;
    this.jobId = id;
    this.options.onJob?.(id);
    // A cancel by name can land before srun created the job; the job must not outlive it.
    if (this.cancelled) await slurmCommand('scancel', [id], this.env, this.bounds.commandMs);
    return true;
  }

  private async fromAccounting(): Promise<JobRecord | undefined> {
    // Not through ask(): a cluster without slurmdbd refuses sacct, which says nothing about the controller.
    const fields = 'JobID,State,ExitCode,Partition,NodeList,Timelimit';
    const answer = await slurmCommand('sacct', ['-n', '-P', '-X', '-j', this.jobId!, '-o', fields], this.env, this.bounds.commandMs);
    return answer.ok ? parseSacctLine(answer.stdout) : undefined;
  }

  /**
   * Runs a client command bounded by what is left of the silence bound, and
   * keeps that account: silence starts when the first unanswered command was
   * sent (a call that hangs counts from its start), and throws ControllerSilent
   * once it has lasted `controllerMs`.
   */
  private async ask(command: string, args: string[]): Promise<SlurmAnswer> {
    const asked = Date.now();
    const left = this.bounds.controllerMs - (this.silentSince === undefined ? 0 : asked - this.silentSince);
    if (left <= 0) throw new ControllerSilent();
    const timeout = Math.max(500, Math.min(this.bounds.commandMs, left));
    const answer = await slurmCommand(command, args, this.env, timeout);
    if (answer.missing) throw new ClientMissing(command);
    // "Invalid job id" is the controller answering, about a job it no longer keeps.
    if (answer.ok || GONE.test(answer.stderr)) this.silentSince = undefined;
    else {
      this.lastProblem = answerProblem(answer, command, timeout);
      this.silentSince ??= asked;
      if (Date.now() - this.silentSince >= this.bounds.controllerMs) throw new ControllerSilent();
    }
    return answer;
  }

  /** scancel by id (by the unique name while the id is unknown), and srun signalled if it does not follow. */
  private async cancel(reason?: string): Promise<void> {
    this.cancelled = { reason, at: Date.now() };
    const target = this.jobId ? [this.jobId] : [`--name=${this.jobName}`];
    const answer = await slurmCommand('scancel', target, this.env, this.bounds.commandMs);
    // srun ends by itself once its job is cancelled; if scancel could not reach the controller, stopping srun stops the job.
    const grace = answer.ok ? this.bounds.killGraceMs : 0;
    this.killTimers.push(
      setTimeout(() => this.signalSrun('SIGTERM'), grace).unref(),
      setTimeout(() => this.signalSrun('SIGKILL'), grace + this.bounds.killGraceMs).unref(),
    );
  }

  private signalSrun(sig: NodeJS.Signals): void {
    if (!this.srun?.pid || this.srunClosed) return;
    try {
      process.kill(-this.srun.pid, sig);
    } catch {
      // already gone
    }
  }

  private async giveUp(): Promise<Outcome> {
    const where = controllerAddress(this.env);
    const job = this.jobId ? `SLURM job ${this.jobId}` : `the job named ${this.jobName}`;
    // Best effort only: the controller that does not answer would not take a cancel either.
    if (this.jobId) await slurmCommand('scancel', [this.jobId], this.env, 2_000);
    // scontrol and squeue say why only after retrying for 18 s; ping says at once whether the controller is down.
    const ping = await slurmCommand('scontrol', ['ping'], this.env, 2_000);
    const down = /\bDOWN\b/.test(ping.stdout) ? ` (scontrol ping: ${ping.stdout.trim().split('\n')[0]})` : '';
    this.signalSrun('SIGTERM');
    this.killTimers.push(setTimeout(() => this.signalSrun('SIGKILL'), this.bounds.killGraceMs).unref());
    await this.waitForSrun(this.bounds.killGraceMs * 2);
    const check = this.jobId ? `squeue -j ${this.jobId}` : `squeue --name=${this.jobName}`;
    return {
      record: this.lastRecord,
      state: this.lastRecord?.state ?? 'UNKNOWN',
      srunExit: this.srunExit,
      failed: true,
      message: `the SLURM controller${where ? ` at ${where}` : ''} did not answer for ${seconds(this.bounds.controllerMs)}: ${this.lastProblem}${down}; ${job} may still be ${this.lastRecord?.state === 'PENDING' ? 'queued' : 'running'}: check with ${check} once the controller is back, and scancel it if so`,
    };
  }

  private cancelOverdue(): Outcome {
    const state = this.lastRecord?.state ?? 'UNKNOWN';
    const asked = this.cancelled
      ? `${this.cancelled.reason ?? `SLURM job ${this.jobId} was cancelled`}, but it`
      : `srun ${this.srunStatus()}, but SLURM job ${this.jobId}`;
    return {
      record: this.lastRecord,
      state,
      srunExit: this.srunExit,
      failed: true,
      message: `${asked} was still ${state} ${seconds(this.bounds.cancelMs)} later: check with squeue -j ${this.jobId}`,
    };
  }

  private async clientMissing(command: string): Promise<Outcome> {
    this.signalSrun('SIGTERM');
    await this.waitForSrun(this.bounds.killGraceMs);
    return {
      state: this.jobId ? 'UNKNOWN' : 'NOT_SUBMITTED',
      // A srun that never started "closes" with the spawn's negative errno, which is no exit status.
      srunExit: this.srunMissing ? null : this.srunExit,
      failed: true,
      message: `${command} is not installed or not on PATH: the slurm runner needs SLURM's client commands (srun, squeue, scontrol, scancel) on this machine, configured for the cluster (SLURM_CONF or /etc/slurm/slurm.conf)`,
    };
  }

  private notSubmitted(): Outcome {
    if (this.stoppedBy)
      return {
        state: 'NOT_SUBMITTED',
        srunExit: this.srunExit,
        failed: true,
        message: `no SLURM job had been created yet (srun ${this.srunStatus()})`,
      };
    const lines = this.lastSrunError.trim().split('\n');
    const why = [...lines].reverse().find((l) => /^srun: error: /.test(l)) ?? lines[lines.length - 1] ?? '';
    return {
      state: 'NOT_SUBMITTED',
      srunExit: this.srunExit,
      failed: true,
      message: `SLURM did not accept the job (srun ${this.srunStatus()}${why ? `: ${why.replace(/^srun: (error: )?/, '')}` : ''}); check the partition, account, qos and resources it asks for`,
    };
  }

  private srunStatus(): string {
    return this.srunSignal ? `was killed by ${this.srunSignal}` : `exited ${this.srunExit}`;
  }

  private async waitForSrun(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.srunClosed && Date.now() < until) await this.sleep(until - Date.now());
  }

  private wake(): void {
    if (this.wakeSleep) this.wakeSleep();
    else this.woken = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeSleep = undefined;
        done();
      };
      const timer = setTimeout(finish, ms);
      this.wakeSleep = finish;
    });
  }
}

function seconds(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  return ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
}

function isSignalName(value: unknown): value is NodeJS.Signals {
  return typeof value === 'string' && /^SIG[A-Z0-9]+$/.test(value);
}
