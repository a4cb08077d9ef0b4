import { openStatCache } from '../../core/hash/stat-cache';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { abortOnSignals } from '../../core/process/signals';
import { collectedOutput } from '../../core/run/collect';
import { runEntry, type RunEntryResult } from '../../core/run/run-entry';
import { describeNotStarted, schedule } from '../../core/run/schedule';
import { reportSpec } from '../../core/run/spec-report';
import { blockedHome, unknownEntryHint } from '../../core/workspace/lookup';
import type { WorkspaceModel } from '../../core/workspace/types';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import { sortedEntries } from '../entry-view';
import { EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import { openWorkspace } from '../workspace';

const OPTIONS = { ...SPECS_DIR_OPTION, parallel: { type: 'string' }, 'show-fresh': { type: 'boolean' } } as const;

type Outcome = RunEntryResult['outcome'];
const ORDER: readonly (Outcome | 'not started')[] = ['ran', 'fetched', 'fresh', 'failed', 'refused', 'interrupted', 'not started'];

export const runCommand: Command = {
  name: 'run',
  summary: 'run what is missing or stale, upstream first, without Nx: each entry exactly as its Nx target runs it',
  help: `Usage: specthis run [<entry>...] [--parallel <n>] [--show-fresh] [--specs-dir <dir>]

Runs every entry (or the named ones and everything upstream of them) in
dependency order, <n> at a time, each exactly as its Nx target's \`run\`
executor does: fresh entries do nothing, missing and stale ones run (or are
fetched from the results cache when one is configured), outputs are verified
and the receipt is written last. An entry whose upstream did not succeed is
not started. Nx's cache is neither read nor written: after this, Nx sees the
new outputs and its next run finds these entries fresh by their receipts.

What \`nx run-many -t compute export\` costs per task in Nx's own hashing, this
does not: on a workspace where little is stale it answers as fast as
\`specthis status\` (bench/README.md, "Peers").

Options:
  --parallel <n>     entries at once (default 1)
  --show-fresh       also print the entries that were fresh
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

Each entry's output is printed when it ends; .specthis/logs/<entry>.log has it
while it runs. Ctrl-C stops the running entries (no receipt is written) and
starts nothing more.

${EXIT_CODES_HELP}
run exits 1 when an entry failed, was refused (script TBD, spec audit needed,
a spec with errors) or was not started.`,

  async run(args, io) {
    const { values, positionals } = parseCommand('run', args, OPTIONS, Number.MAX_SAFE_INTEGER);
    const parallel = values.parallel === undefined ? 1 : Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1)
      throw usageError(
        `specthis run: --parallel takes a whole number of entries at once, at least 1 (e.g. --parallel 2); got ${values.parallel}`,
      );
    const { root, model } = openWorkspace(io.cwd, values['specs-dir']);
    const names = selected(root, model, positionals);
    const out = lines(io.stdout);
    const counts = new Map<string, number>();
    const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
    const stop = abortOnSignals();
    const statCache = openStatCache(root);
    const run = async (name: string) => {
      const output = collectedOutput();
      try {
        const result = await runEntry(root, model, name, { ...output, signal: stop.signal });
        return { outcome: result.outcome, success: result.success, text: output.text() };
      } catch (error) {
        output.log.error(describeUnexpected(`the run of ${name}`, error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' }));
        return { outcome: 'failed' as const, success: false, text: output.text() };
      }
    };
    try {
      for await (const event of schedule(names, (n) => model.upstream.get(n)?.entries ?? [], run, {
        parallel,
        succeeded: (r) => r.success,
        signal: stop.signal,
      })) {
        if (!event.started) {
          count('not started');
          out(`specthis: ${event.id} did not run: ${describeNotStarted(event.why)}`);
          continue;
        }
        count(event.result.outcome);
        if (event.result.outcome !== 'fresh' || values['show-fresh']) io.stdout(event.result.text);
      }
    } finally {
      statCache.close();
      stop.dispose();
    }
    // Run everything: a spec with errors fails the run, as its invalid-- target fails Nx's, naming every problem.
    const blocked = positionals.length ? [] : [...model.blocked].sort();
    for (const file of blocked) {
      const output = collectedOutput();
      reportSpec(model, file, output.log);
      io.stdout(output.text());
    }
    const parts = ORDER.filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${o}`);
    if (blocked.length) parts.push(`${blocked.length} ${blocked.length === 1 ? 'spec' : 'specs'} with errors`);
    out(`specthis run: ${names.length} ${names.length === 1 ? 'entry' : 'entries'}: ${parts.join(', ') || 'nothing to do'}`);
    const ok = (counts.get('ran') ?? 0) + (counts.get('fetched') ?? 0) + (counts.get('fresh') ?? 0) === names.length;
    return ok && !blocked.length ? EXIT.ok : EXIT.findings;
  },
};

/** The named entries and everything upstream of them, or every entry; unknown names are a usage error. */
function selected(root: string, model: WorkspaceModel, names: string[]): string[] {
  if (!names.length) return sortedEntries(model).map((e) => e.name);
  const picked = new Set<string>();
  const stack: string[] = [];
  for (const name of names) {
    // A name in a spec with errors is run (and refused with that spec's diagnostics), as its Nx target would be.
    if (!model.entries.has(name) && !blockedHome(root, model, name))
      throw usageError(`specthis run: no entry "${name}" in ${model.options.specsDir}/; ${unknownEntryHint(model, name)}`);
    stack.push(name);
  }
  while (stack.length) {
    const name = stack.pop()!;
    if (picked.has(name)) continue;
    picked.add(name);
    stack.push(...(model.upstream.get(name)?.entries ?? []));
  }
  return [...picked].sort();
}
