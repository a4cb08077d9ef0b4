import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { openStatCache } from '../../core/hash/stat-cache';
import { abortOnSignals } from '../../core/process/signals';
import { collectedOutput } from '../../core/run/collect';
import { describeNotStarted, schedule } from '../../core/run/schedule';
import { loadWorkspace } from '../../core/workspace/load';
import { cachedSpecs } from '../../plugin/cached-specs';
import type { WorkspaceModel } from '../../core/workspace/types';
import { workspaceOptions } from '../workspace-options';
import { runTask, taskOptionsValid } from './executor';
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
  settings: { parallel: number },
): AsyncIterableIterator<BatchTaskResult> {
  const setup: string[] = [];
  const workspace = workspaceOptions(context, (line) => setup.push(line));
  let model: WorkspaceModel | undefined;
  const loadModel = (): WorkspaceModel => (model ??= loadWorkspace(context.root, workspace!, cachedSpecs(context.root, workspace!)));
  const stop = abortOnSignals();
  const statCache = openStatCache(context.root);
  let saved = Date.now();
  const run = async (id: string): Promise<BatchTaskResult['result']> => {
    const output = collectedOutput();
    const startTime = Date.now();
    const options = inputs[id] ?? {};
    let success = false;
    if (!workspace) for (const line of setup) output.log.error(line);
    else if (taskOptionsValid(options, output.log)) {
      const io = { log: output.log, stdout: output.stdout, stderr: output.stderr, signal: stop.signal };
      success = (await runTask(options, context.root, loadModel, io)).success;
    }
    return { success, terminalOutput: output.text(), startTime, endTime: Date.now() };
  };
  const ids = Object.keys(taskGraph.tasks).sort();
  try {
    for await (const event of schedule(ids, (id) => (taskGraph.dependencies[id] ?? []).map(edgeTarget), run, {
      parallel: settings.parallel,
      succeeded: (r) => r.success,
      signal: stop.signal,
    })) {
      if (event.started) {
        if (Date.now() - saved >= STAT_CACHE_SAVE_MS) {
          statCache.save();
          saved = Date.now();
        }
        yield { task: event.id, result: event.result };
      } else {
        const line = `specthis: ${label(inputs[event.id])} did not run: ${describeNotStarted(event.why)}\n`;
        yield { task: event.id, result: { success: false, status: 'skipped', terminalOutput: line } };
      }
    }
  } finally {
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
