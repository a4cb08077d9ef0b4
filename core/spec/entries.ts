import { diagnostic } from '../diagnostics/diagnostic';
import { readFields, type Field, type FieldName } from './fields';
import type { Heading } from './headings';
import type { Diagnostic, Entry, EntryFamily, ScriptStatus } from './types';

export const ENTRY_NAME = /^[a-z0-9][a-z0-9._-]*$/;

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
};

export function entryNameProblem(name: string): string | undefined {
  if (!ENTRY_NAME.test(name)) return 'entry names are lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit';
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
  const run = byName.get('run');
  // A backticked command may be followed by prose (`python3 fit.py` (3 h)); the shell must never see the backticks.
  if (run?.raw) entry.run = /`[^`]+`/.test(run.raw) ? run.values[0] : run.raw;
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
  const status = byName.get('status');
  if (status?.raw) Object.assign(entry, parseStatus(file, status, h.text, diagnostics));
  return entry;
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
