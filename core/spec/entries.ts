import { posix } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic';
import { isUnder, REPORTS_DIR, RESULTS_DIR } from '../layout';
import { parseResources } from './resources';
import { readFields, type Field, type FieldName } from './fields';
import type { Heading } from './headings';
import type { Diagnostic, Entry, EntryFamily, ScriptStatus } from './types';

export const ENTRY_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/**
 * Entry names become file names (`.specthis/logs/<entry>.log`, the receipt's
 * temporary `.<entry>.json.<pid>.<random>.tmp`, the cache's
 * `<entry>.manifest.json`), and a file name holds at most 255 bytes.
 */
export const MAX_ENTRY_NAME = 128;

const COMPUTE_EXAMPLE =
  '### fit-baseline\n- Script: `scripts/fit.py`\n- Output: `results/compute-wages-fit-baseline/estimates.json`\n- Status: script ready';
const EXPORT_EXAMPLE =
  '### wage-table\n- Export script: `scripts/export_wage_table.py`\n- Export outputs: `reports/tables/wages.tex`\n- Status: script TBD';

/** Fields each family requires, and the fields that belong to the other family. */
const REQUIRED: Record<EntryFamily, FieldName[]> = {
  compute: ['script', 'output', 'status'],
  export: ['exportScript', 'exportOutputs', 'status'],
};
const FOREIGN: Record<EntryFamily, FieldName[]> = {
  compute: ['exportScript', 'exportOutputs', 'reads'],
  export: ['script', 'output', 'keys'],
};
const PATH_FIELDS: FieldName[] = ['script', 'output', 'exportScript', 'exportOutputs', 'workflows'];
const LIST_FIELDS: FieldName[] = ['exportOutputs', 'workflows', 'keys', 'reads'];
const LABEL: Record<FieldName, string> = {
  script: 'Script',
  output: 'Output',
  exportScript: 'Export script',
  exportOutputs: 'Export outputs',
  status: 'Status',
  run: 'Run',
  workflows: 'Workflows',
  keys: 'Keys',
  reads: 'Reads',
  runner: 'Runner',
  resources: 'Resources',
};

export function entryNameProblem(name: string): string | undefined {
  if (!ENTRY_NAME.test(name)) return 'entry names are lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit';
  if (name.length > MAX_ENTRY_NAME)
    return `entry names are at most ${MAX_ENTRY_NAME} characters (this one has ${name.length}); they name files`;
  if (name.includes('--')) return 'entry names never contain `--` (it separates target and entry in `compute--<entry>`)';
  return undefined;
}

/** Builds the entries of the `## Entry` / `## Entries` section from its `###` headings. */
export function readEntries(
  file: string,
  lines: readonly string[],
  family: EntryFamily,
  headings: Heading[],
  sectionIndex: number,
): { entries: Entry[]; diagnostics: Diagnostic[] } {
  const entries: Entry[] = [];
  const diagnostics: Diagnostic[] = [];
  const sectionEnd = headings.find((h, i) => i > sectionIndex && h.depth <= 2);
  for (let i = sectionIndex + 1; i < headings.length && headings[i] !== sectionEnd; i++) {
    const h = headings[i];
    if (h.depth !== 3) continue;
    const next = headings.slice(i + 1).find((x) => x.depth <= 3);
    const block = { start: h.index, end: next ? next.index : lines.length };
    const problem = entryNameProblem(h.text);
    if (problem) {
      diagnostics.push(
        diagnostic('spec', file, {
          line: h.index + 1,
          reason: `entry heading "${h.text}" is not a valid entry name: ${problem}`,
          rule: 'entry-name',
          expected: family === 'compute' ? COMPUTE_EXAMPLE : EXPORT_EXAMPLE,
          received: lines[h.index],
        }),
      );
      continue;
    }
    const read = readFields(file, lines, block.start + 1, block.end);
    diagnostics.push(...read.diagnostics);
    entries.push(buildEntry(file, h, block, family, read.fields, diagnostics));
  }
  return { entries, diagnostics };
}

function buildEntry(
  file: string,
  h: Heading,
  block: Entry['block'],
  family: EntryFamily,
  fields: Field[],
  diagnostics: Diagnostic[],
): Entry {
  const example = family === 'compute' ? COMPUTE_EXAMPLE : EXPORT_EXAMPLE;
  const byName = new Map<FieldName, Field>();
  for (const f of fields) {
    const previous = byName.get(f.name);
    if (previous) {
      diagnostics.push(
        diagnostic('spec', file, {
          line: f.index + 1,
          reason: `entry "${h.text}" gives "${f.label}:" twice (first on line ${previous.index + 1})`,
          rule: 'entry-duplicate-field',
          expected: example,
        }),
      );
      continue;
    }
    byName.set(f.name, f);
  }
  for (const name of REQUIRED[family]) {
    if (!byName.get(name)?.values.length) {
      diagnostics.push(
        diagnostic('spec', file, {
          line: (byName.get(name)?.index ?? h.index) + 1,
          reason: `${family} entry "${h.text}" has no "${LABEL[name]}:" value`,
          rule: 'entry-missing-field',
          expected: example,
        }),
      );
    }
  }
  for (const name of FOREIGN[family]) {
    const f = byName.get(name);
    if (f)
      diagnostics.push(
        diagnostic('spec', file, {
          line: f.index + 1,
          reason: `"${f.label}:" belongs to ${family === 'compute' ? 'report and figure' : 'compute'} entries, not ${family} entries`,
          rule: 'entry-foreign-field',
          expected: example,
          received: f.raw,
        }),
      );
  }
  const single = (name: FieldName) => {
    const f = byName.get(name);
    if (f && f.values.length > 1)
      diagnostics.push(
        diagnostic('spec', file, {
          line: f.index + 1,
          reason: `"${f.label}:" takes one path, got ${f.values.length}`,
          rule: 'entry-field-arity',
          expected: example,
          received: f.raw,
        }),
      );
    return f?.values[0];
  };
  const entry: Entry = {
    name: h.text,
    family,
    specFile: file,
    line: h.index + 1,
    block,
    outputs: [],
    workflows: byName.get('workflows')?.values ?? [],
    keys: byName.get('keys')?.values ?? [],
  };
  const script = family === 'compute' ? single('script') : single('exportScript');
  if (script) entry.script = normalizePath(script);
  entry.outputs =
    family === 'compute'
      ? [single('output')].filter((v): v is string => !!v).map(normalizePath)
      : (byName.get('exportOutputs')?.values ?? []).map(normalizePath);
  entry.workflows = entry.workflows.map(normalizePath);
  for (const f of byName.values()) {
    // `Status:` is free text after its keyword; every other value is its code spans, and nothing may be cut from it.
    if (f.name === 'status') continue;
    const twoCommands = f.name === 'run' && f.spans > 1;
    if (!f.stray && !twoCommands) continue;
    diagnostics.push(
      diagnostic('spec', file, {
        line: f.index + 1,
        reason: twoCommands
          ? `"${f.label}:" holds ${f.spans} code spans; a command is one span, and the others would not run`
          : `"${f.label}:" has text outside its code span${f.spans > 1 ? 's' : ''} ("${f.stray}"), which would be dropped`,
        rule: 'entry-field-value',
        expected:
          f.name === 'run'
            ? '- Run: `python3 scripts/fit.py && touch results/x/done` (one span holds the whole shell command; prose goes on a line of its own)'
            : `- ${f.label}: \`a\`${LIST_FIELDS.includes(f.name) ? ', `b`' : ''} (prose goes on a line of its own)`,
        received: f.raw,
      }),
    );
  }
  const run = byName.get('run');
  // The shell never sees the backticks; a value with anything but one span is refused above.
  if (run?.raw) entry.run = run.spans ? run.values[0] : run.raw;
  if (byName.get('reads')) entry.reads = byName.get('reads')!.values;
  for (const f of fields.filter((x) => PATH_FIELDS.includes(x.name))) {
    for (const p of f.values.map(normalizePath)) {
      if (!insideWorkspace(p))
        diagnostics.push(
          diagnostic('spec', file, {
            line: f.index + 1,
            reason: `entry "${h.text}" names the path "${p}", which leaves the workspace`,
            rule: 'entry-path',
            expected: 'a workspace-relative path such as `scripts/fit.py` or `results/compute-wages-fit/estimates.json`',
            received: p,
          }),
        );
    }
  }
  readPlacement(file, h.text, byName, entry, diagnostics);
  const outputField = byName.get(family === 'compute' ? 'output' : 'exportOutputs');
  const misplaced = outputField ? misplacedOutputs(entry) : [];
  if (misplaced.length) {
    diagnostics.push(
      diagnostic('spec', file, {
        line: outputField!.index + 1,
        reason: `entry "${h.text}" puts its output outside its place: ${misplaced.join('; ')}`,
        rule: 'routing-leak',
        expected:
          family === 'compute'
            ? `- Output: \`${RESULTS_DIR}/<spec>-${h.text}/${posix.basename(entry.outputs[0] ?? 'result').replace(/\.[^.]*$/, '') || 'result'}.json\` (a directory of its own under ${RESULTS_DIR}/)`
            : `- Export outputs: \`${REPORTS_DIR}/tables/${h.text}.tex\``,
        received: outputField!.raw,
        note: 'an Nx cache restore rewrites whatever a target owns: outside its place, an output would take input files with it',
        entry: h.text,
      }),
    );
  }
  const status = byName.get('status');
  if (status?.raw) Object.assign(entry, parseStatus(file, status, h.text, diagnostics));
  return entry;
}

/** `Runner:` and `Resources:` (docs/architecture.md, "Cluster"): where and with what the entry runs. */
function readPlacement(file: string, name: string, byName: Map<FieldName, Field>, entry: Entry, diagnostics: Diagnostic[]): void {
  const runner = byName.get('runner');
  const resources = byName.get('resources');
  const lines = [runner, resources].filter((f): f is Field => !!f).map((f) => f.index);
  if (lines.length) entry.placementLines = lines.sort((a, b) => a - b);
  if (runner) {
    const value = runner.raw.replace(/`/g, '').trim();
    if (value === 'local' || value === 'slurm') entry.runner = value;
    else {
      diagnostics.push(
        diagnostic('spec', file, {
          line: runner.index + 1,
          reason: `entry "${name}" has runner "${value}"; a runner is local or slurm`,
          rule: 'entry-runner',
          expected: '- Runner: slurm',
          received: runner.raw,
        }),
      );
    }
  }
  if (resources) {
    const parsed = parseResources(resources.raw.replace(/`/g, ' '));
    for (const p of parsed.problems) {
      diagnostics.push(
        diagnostic('spec', file, {
          line: resources.index + 1,
          reason: `entry "${name}" has a "Resources:" value that cannot be used: ${p.problem}`,
          rule: 'entry-resources',
          expected: `- Resources: time=02:00:00 mem=8G cpus=4 partition=short (${p.expected})`,
          received: p.received,
        }),
      );
    }
    if (!parsed.problems.length) entry.resources = parsed.resources;
  }
}

/**
 * Where outputs live (templates/specs/README.md, "Rules"), enforced here
 * because an Nx cache restore rewrites whatever a target claims: a compute
 * entry owns the directory of its one JSON, which must be a directory of its
 * own under `results/`; report and figure entries own files under `reports/`.
 */
function misplacedOutputs(entry: Entry): string[] {
  const problems: string[] = [];
  for (const path of entry.outputs) {
    if (entry.family === 'compute') {
      const dir = posix.dirname(path);
      if (isUnder(path, REPORTS_DIR)) problems.push(`${path} is under ${REPORTS_DIR}/, where the paper's artefacts live`);
      else if (!isUnder(path, RESULTS_DIR))
        problems.push(`${path} is not under ${RESULTS_DIR}/ (the entry would own ${dir === '.' ? 'the whole workspace' : `${dir}/`})`);
      else if (dir === RESULTS_DIR)
        problems.push(`${path} sits in ${RESULTS_DIR}/ itself (the entry would own every result); give it a directory of its own`);
      if (posix.extname(path).toLowerCase() !== '.json') problems.push(`${path} is not a .json file`);
    } else if (!isUnder(path, REPORTS_DIR)) {
      problems.push(`${path} is not under ${REPORTS_DIR}/`);
    }
  }
  return problems;
}

function parseStatus(file: string, f: Field, entry: string, diagnostics: Diagnostic[]): { status?: ScriptStatus; statusNote?: string } {
  const text = f.raw.replace(/`/g, '').trim();
  const m = /^script\s+(tbd|ready)\b[\s—–:;,.()-]*(.*)$/i.exec(text);
  if (!m) {
    diagnostics.push(
      diagnostic('spec', file, {
        line: f.index + 1,
        reason: `entry "${entry}" has status "${text}"; a status is "script TBD" or "script ready", optionally followed by an explanation`,
        rule: 'entry-status',
        expected: '- Status: script TBD — waiting for the 2024 extract',
        received: f.raw,
      }),
    );
    return {};
  }
  const status: ScriptStatus = m[1].toLowerCase() === 'tbd' ? 'script TBD' : 'script ready';
  const note = m[2].replace(/\)$/, '').trim();
  return note ? { status, statusNote: note } : { status };
}

/** Paths in specs are workspace-relative and POSIX; `./` prefixes are dropped so they compare equal. */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function insideWorkspace(p: string): boolean {
  return !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split('/').includes('..');
}
