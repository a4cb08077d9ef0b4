'use strict';
/**
 * A prototype for bench/peers.js, not the plugin: @specthis/nx:run as an Nx
 * batchImplementation. Nx hands one forked process every task of a batch; this
 * loads and analyzes the workspace once, then runs core's runEntry (what the
 * executor runs per task) for each task in dependency order, two at a time, and
 * yields each result as it completes so Nx caches it.
 */
const { loadWorkspace } = require('@specthis/nx/dist/core/workspace/load');
const { runEntry } = require('@specthis/nx/dist/core/run/run-entry');
const { pluginOptions } = require('@specthis/nx/dist/executors/run/plugin-options');

const PARALLEL = 2;

module.exports = async function* batch(taskGraph, inputs, _overrides, context) {
  const model = loadWorkspace(context.root, pluginOptions(context.nxJsonConfiguration));
  const ids = Object.keys(taskGraph.tasks);
  const deps = new Map(
    ids.map((id) => [
      id,
      (taskGraph.dependencies[id] ?? []).map((d) => (typeof d === 'string' ? d : d.id)).filter((d) => d in taskGraph.tasks),
    ]),
  );
  const status = new Map(); // id -> true (success) | false
  const running = new Map(); // id -> Promise<{ id, result }>
  const waiting = new Set(ids);
  const start = (id) => {
    const lines = [];
    const line = (m) => lines.push(String(m));
    const sink = { write: (chunk) => (lines.push(String(chunk)), true) };
    const run = runEntry(context.root, model, inputs[id].entry, {
      log: { info: line, warn: line, error: line },
      stdout: sink,
      stderr: sink,
    })
      .then((r) => r.success)
      .catch((e) => (line(e instanceof Error ? e.stack : String(e)), false))
      .then((success) => ({ id, result: { success, terminalOutput: lines.join('\n') } }));
    running.set(id, run);
  };
  while (waiting.size || running.size) {
    for (const id of [...waiting]) {
      if (running.size >= PARALLEL) break;
      const ds = deps.get(id);
      if (ds.some((d) => status.get(d) === false)) {
        waiting.delete(id);
        status.set(id, false);
        yield { task: id, result: { success: false, terminalOutput: 'a dependency failed' } };
      } else if (ds.every((d) => status.get(d) === true)) {
        waiting.delete(id);
        start(id);
      }
    }
    if (!running.size) {
      if (waiting.size) throw new Error(`batch: ${waiting.size} tasks wait on tasks outside the batch`);
      break;
    }
    const { id, result } = await Promise.race(running.values());
    running.delete(id);
    status.set(id, result.success);
    yield { task: id, result };
  }
};
