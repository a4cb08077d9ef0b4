import { Writable } from 'node:stream';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { openStatCache } from '../../core/hash/stat-cache';
import { abortOnSignals } from '../../core/process/signals';
import type { RunLogger } from '../../core/run/logger';
import { loadWorkspace } from '../../core/workspace/load';
import type { WorkspaceModel } from '../../core/workspace/types';
import { workspaceOptions } from '../workspace-options';
import { runTask, taskOptionsValid, type RunIo } from './executor';
import type { RunExecutorSchema } from './schema';

/** How often a long batch writes the stat cache back, so a batch that is killed loses little. */
const STAT_CACHE_SAVE_MS = 10_000;

/** One task's answer to Nx (nx/src/config/misc-interfaces.d.ts, BatchExecutorTaskResult). */
export interface BatchTaskResult {
  task: string;
  result: { success: boolean; status?: 'success' | 'failure' | 'skipped'; terminalOutput: string; startTime?: number; endTime?: number };
}

/**
 * `@specthis/nx:run` for many tasks in one process. Nx 24 hands every task of
 * a batch to this (executors.json `batchImplementation` with `preferBatch`;
 * nx/src/tasks-runner/tasks-schedule.js), so the workspace is read and
 * analyzed once per batch instead of once per task and no Node process is
 * forked per entry: bench/README.md, "Peers", measured the fork and the reload
 * as most of a task's cost. Each task is exactly the single-task executor's
 * runTask, in dependency order, `parallel` at a time; its output becomes its
 * task's terminal output (the entry's log file has it live).
 */
export default async function* runBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, RunExecutorSchema>,
  _overrides: RunExecutorSchema,
  context: ExecutorContext,
): AsyncIterableIterator<BatchTaskResult> {
  yield* runBatchWith(taskGraph, inputs, context, { parallel: batchParallel(process.env, context.nxJsonConfiguration) });
}

/**
 * How many entries of a batch run at once. Nx does not tell a batch executor
 * its `--parallel` (nx/src/tasks-runner/batch/run-batch.js builds the context
 * without it), so this reads what Nx itself reads when the flag is absent:
 * `NX_PARALLEL`, then nx.json's `parallel`, then Nx's default of 3
 * (docs/decisions.md, "Batched runs").
 */
export function batchParallel(env: NodeJS.ProcessEnv, nxJson: { parallel?: number } | undefined): number {
  const fromEnv = Number(env.NX_PARALLEL);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  const fromNxJson = nxJson?.parallel;
  if (typeof fromNxJson === 'number' && Number.isInteger(fromNxJson) && fromNxJson >= 1) return fromNxJson;
  return 3;
}

export async function* runBatchWith(
  taskGraph: Pick<TaskGraph, 'tasks' | 'dependencies'>,
  inputs: Record<string, RunExecutorSchema>,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
  settings: { parallel: number; io?: (id: string) => Partial<RunIo> },
): AsyncIterableIterator<BatchTaskResult> {
  const ids = Object.keys(taskGraph.tasks).sort();
  // Only edges inside the batch order it: Nx completed the others before it started the batch.
  const upstream = new Map(ids.map((id) => [id, (taskGraph.dependencies[id] ?? []).map(edgeTarget).filter((d) => d in taskGraph.tasks)]));
  const setup: string[] = [];
  const workspace = workspaceOptions(context, (line) => setup.push(line));
  let model: WorkspaceModel | undefined;
  const loadModel = (): WorkspaceModel => (model ??= loadWorkspace(context.root, workspace!));
  const stop = abortOnSignals();
  const statCache = openStatCache(context.root);
  const succeeded = new Map<string, boolean>();
  const running = new Map<string, Promise<BatchTaskResult>>();
  const waiting = new Set(ids);

  const start = (id: string) => {
    const output = taskOutput();
    const startTime = Date.now();
    const run = async (): Promise<BatchTaskResult> => {
      const options = inputs[id] ?? {};
      let success = false;
      if (!workspace) for (const line of setup) output.log.error(line);
      else if (taskOptionsValid(options, output.log)) {
        const io = { ...output.io, ...settings.io?.(id), log: output.log, signal: stop.signal };
        success = (await runTask(options, context.root, loadModel, io, 'caller')).success;
      }
      return { task: id, result: { success, terminalOutput: output.text(), startTime, endTime: Date.now() } };
    };
    running.set(id, run());
  };
  /** Never started: an upstream task failed, or the batch was stopped. */
  const notRun = (id: string, why: string): BatchTaskResult => {
    waiting.delete(id);
    succeeded.set(id, false);
    return {
      task: id,
      result: { success: false, status: 'skipped', terminalOutput: `specthis: ${label(inputs[id])} did not run: ${why}\n` },
    };
  };

  let saved = Date.now();
  try {
    while (waiting.size || running.size) {
      // Repeat until nothing changes: a skip can make the tasks after it skips too.
      for (let changed = true; changed;) {
        changed = false;
        for (const id of [...waiting]) {
          const ups = upstream.get(id)!;
          const failed = ups.find((d) => succeeded.get(d) === false);
          if (stop.signal.aborted) yield notRun(id, `the run was stopped (${String(stop.signal.reason)})`);
          else if (failed) yield notRun(id, `${failed}, which it depends on, did not succeed`);
          else if (running.size < settings.parallel && ups.every((d) => succeeded.get(d) === true)) {
            waiting.delete(id);
            start(id);
          } else continue;
          changed = true;
        }
      }
      if (!running.size) {
        // Nothing runs and nothing can start: a cycle inside the batch, which Nx's task graph never has.
        for (const id of [...waiting]) yield notRun(id, 'its upstream tasks never finished');
        break;
      }
      const done = await Promise.race(running.values());
      running.delete(done.task);
      succeeded.set(done.task, done.result.success);
      if (Date.now() - saved >= STAT_CACHE_SAVE_MS) {
        statCache.save();
        saved = Date.now();
      }
      yield done;
    }
  } finally {
    // Nx stopped reading (the run was stopped): let the running entries end, so none is left behind.
    await Promise.allSettled(running.values());
    statCache.close();
    stop.dispose();
  }
}

/** Nx 24's edges are objects with an id; older task graphs held the id itself. */
function edgeTarget(edge: TaskGraph['dependencies'][string][number] | string): string {
  return typeof edge === 'string' ? edge : edge.id;
}

function label(options: RunExecutorSchema | undefined): string {
  return options?.entry ?? options?.spec ?? 'this task';
}

/** A task's terminal output: its log lines and its command's output, in order. */
function taskOutput(): { log: RunLogger; io: { stdout: Writable; stderr: Writable }; text(): string } {
  const chunks: string[] = [];
  const line = (message: string) => chunks.push(message.endsWith('\n') ? message : `${message}\n`);
  const sink = () =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
  const log: RunLogger = { info: line, warn: line, error: line };
  return { log, io: { stdout: sink(), stderr: sink() }, text: () => chunks.join('') };
}
