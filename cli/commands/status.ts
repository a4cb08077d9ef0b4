import { canonicalJson } from '../../core/fs/canonical-json';
import { blockedHome, unknownEntryHint } from '../../core/workspace/lookup';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import {
  describeSource,
  invalidSpecs,
  readLockOrFail,
  sortedEntries,
  viewEntry,
  viewInvalid,
  type EntryView,
  type InvalidSpecView,
} from '../entry-view';
import { EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import type { CliIo } from '../io';
import { countStates, table } from '../../core/table';
import { openWorkspace } from '../workspace';
import { withStatCache } from '../../core/hash/stat-cache';
import type { SpecthisOptions, WorkspaceModel } from '../../core/workspace/types';

const OPTIONS = { ...SPECS_DIR_OPTION, json: { type: 'boolean' } } as const;

export const statusCommand: Command = {
  name: 'status',
  summary: 'every entry (or one) on both axes: certification and realization, and which inputs moved',
  help: `Usage: specthis status [<entry>] [--json] [--specs-dir <dir>]

Shows each entry's two states, decided from file contents only:
  certification  certified | spec audit needed (names the inputs that moved
                 since certification) | unbound (never certified)
  realization    script TBD | missing | stale (says what moved since the last
                 run) | needs review | fresh
Specs with errors are listed with their diagnostics instead of entries.

Options:
  --json             one JSON document, keys sorted: { specsDir, entries: [...], invalidSpecs: [...] }
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}
status exits 1 when a listed spec has errors or an entry needs a spec audit
(or is unbound, script ready, while the plugin option requireCertified is set);
\`script TBD\` alone is not a finding.`,

  run(args, io) {
    const { values, positionals } = parseCommand('status', args, OPTIONS, 1);
    const { root, options, model } = openWorkspace(io.cwd, values['specs-dir']);
    // Unchanged scripts and outputs are not read again (core/hash/stat-cache.ts).
    return withStatCache(root, () => status(io, root, options, model, positionals[0], values.json === true));
  },
};

function status(io: CliIo, root: string, options: SpecthisOptions, model: WorkspaceModel, name: string | undefined, json: boolean): number {
  const lock = readLockOrFail(root, options.specsDir);
  let entries: EntryView[];
  let invalid: InvalidSpecView[];
  if (name === undefined) {
    entries = sortedEntries(model).map((e) => viewEntry(root, model, e, lock));
    invalid = invalidSpecs(model);
  } else {
    const entry = model.entries.get(name);
    const home = entry ? undefined : blockedHome(root, model, name);
    if (!entry && !home) throw usageError(`specthis status: no entry "${name}" in ${options.specsDir}/; ${unknownEntryHint(model, name)}`);
    entries = entry ? [viewEntry(root, model, entry, lock)] : [];
    invalid = home ? [viewInvalid(home)] : [];
  }
  if (json) io.stdout(canonicalJson({ specsDir: options.specsDir, entries, invalidSpecs: invalid }));
  else if (name !== undefined && entries.length) printOne(io, entries[0]);
  else printAll(io, entries, invalid);
  // `script TBD` is an ordinary state of a pipeline in progress, not a finding.
  const blocked = (e: EntryView) =>
    e.certification.state === 'spec audit needed' ||
    (options.requireCertified && e.certification.state === 'unbound' && e.realization.state !== 'script TBD');
  return invalid.length || entries.some(blocked) ? EXIT.findings : EXIT.ok;
}

function printAll(io: CliIo, entries: EntryView[], invalid: InvalidSpecView[]): void {
  const out = lines(io.stdout);
  if (entries.length) {
    const why = (e: EntryView) =>
      e.certification.state === 'spec audit needed'
        ? e.certification.detail
        : e.source && e.realization.state === 'fresh'
          ? `${e.realization.detail}; ${describeSource(e.source)}`
          : e.realization.detail;
    out(
      ...table(
        ['ENTRY', 'CERTIFICATION', 'REALIZATION', 'WHY'],
        entries.map((e) => [e.entry, e.certification.state, e.realization.state, why(e)]),
      ),
      '',
    );
    out(
      `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${countStates(entries.map((e) => e.certification.state))}; ${countStates(entries.map((e) => e.realization.state))}`,
    );
  } else if (!invalid.length) out('no entries: no compute, report or figure spec declares one yet');
  for (const s of invalid) {
    out(
      `${s.spec}: ${s.errors} error${s.errors === 1 ? '' : 's'}; its entries have no state until they are fixed (\`nx run ${s.target}\` prints them):`,
    );
    for (const d of s.diagnostics) out(d.replace(/^/gm, '  '));
  }
}

function printOne(io: CliIo, e: EntryView): void {
  lines(io.stdout)(
    `${e.entry}: ${e.family} entry of ${e.spec}:${e.line}; run it with \`nx run ${e.target}\``,
    `  status         ${e.status}`,
    `  script         ${e.script ?? '(none)'}`,
    `  outputs        ${e.outputs.join(', ') || '(none)'}`,
    `  certification  ${e.certification.state}: ${e.certification.detail}`,
    `  realization    ${e.realization.state}: ${e.realization.detail}`,
    ...(e.source ? [`  outputs from   ${describeSource(e.source)}`] : []),
  );
}
