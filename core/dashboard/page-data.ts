import type { AuditRun } from '../audit/audit';
import type { EntryFacts } from '../audit/facts';
import type { AuditRow } from '../audit/types';
import { fileChecker } from '../audit/files';
import type { Finding } from '../audit/types';
import { ruleDocs } from '../diagnostics/diagnostic';
import { recordOf, type LockRecord } from '../lock/types';
import { readReceipt, type Receipt } from '../receipts/receipt';
import type { WorkspaceModel } from '../workspace/types';
import { entryData } from './entry-data';
import type { PageMemo } from './page-memo';
import type { PageData, PageFinding } from './page-model';
import { paperDocuments } from './paper';
import { specData, type SpecContext } from './spec-data';
import { NEEDS_MACHINE, NEEDS_PERSON } from './states';

/**
 * Everything the page shows, from the model and a whole-workspace audit of it.
 * With `memo` (the live server's), records
 * equal to last build's are last build's objects (page-memo.ts).
 */
export function buildPageData(root: string, model: WorkspaceModel, run: AuditRun, memo?: PageMemo): PageData {
  const { specsDir, requireCertified } = model.options;
  const specIndex = new Map(model.specs.map((s, i) => [s.file, i]));
  // A lock that does not parse is already an audit finding (shown as a page problem); its cards show no record.
  const lock = run.lock ?? {};
  const edges = readEdges(run.facts, model);
  const entries = run.facts.map((f, i) => {
    const record = recordOf(lock, f.entry.name);
    const receipt = readReceipt(root, f.entry.name);
    const spec = specIndex.get(f.spec.file)!;
    const row = run.result.rows[i];
    const build = () => entryData(f, row, spec, record, receipt, requireCertified, edges.reads[i], edges.readBy[i]);
    // The live server's memo compares what the record is built from before building it: most records are kept.
    return memo
      ? memo.reuse(
          `entry\0${f.spec.file}\0${f.entry.name}\0${i}`,
          entryDeps(f, row, spec, record, receipt, requireCertified, edges.reads[i], edges.readBy[i]),
          build,
        )
      : build();
  });

  const bySpec = groupFindings(run.result.findings, specsDir);
  const specFiles = new Set(specIndex.keys());
  const ctx: SpecContext = { root, specIndex, specsDir };
  const entriesOf = new Map<number, number[]>();
  entries.forEach((e, i) => entriesOf.get(e.spec)?.push(i) ?? entriesOf.set(e.spec, [i]));
  const specs = model.specs.map((s, i) => specData(s, entriesOf.get(i) ?? [], entries, bySpec.get(s.file) ?? [], ctx));
  specs.forEach((s, i) => s.dependsOn.forEach((d) => d.spec !== null && specs[d.spec].dependents.push(i)));
  // A spec record is small but for its body: compared as JSON without the body, and the body itself.
  const keptSpecs = memo
    ? specs.map((s) => memo.keep(`spec\0${s.file}`, [JSON.stringify({ ...s, markdown: null }), s.markdown], s))
    : specs;

  const exporters = new Map<string, number[]>();
  entries.forEach((e, i) => e.outputs.forEach((o) => exporters.get(o.path)?.push(i) ?? exporters.set(o.path, [i])));
  const bound = new Map<string, number[]>();
  model.specs.forEach(
    (s, i) =>
      s.kind === 'report' &&
      s.hostDoc &&
      s.sectionLabel &&
      bound.set(`${s.hostDoc}\0${s.sectionLabel}`, [...(bound.get(`${s.hostDoc}\0${s.sectionLabel}`) ?? []), i]),
  );
  const paper = paperDocuments(run.hostDocuments, exporters, (doc, label) => bound.get(`${doc}\0${label}`) ?? [], fileChecker(root));

  const { errors, warnings } = run.result.summary;
  return {
    version: 1,
    specsDir,
    requireCertified,
    legend: { person: NEEDS_PERSON, machine: NEEDS_MACHINE },
    problems: run.result.findings.filter((f) => !specFiles.has(f.spec)).map((f) => pageFinding(f, specsDir)),
    summary: {
      specs: specs.length,
      entries: entries.length,
      person: entries.filter((e) => e.person).length,
      machine: entries.filter((e) => e.machine).length,
      errors,
      warnings,
    },
    specs: keptSpecs,
    entries,
    paper,
  };
}

/** Everything entryData reads, for PageMemo: values, or objects that are replaced rather than changed (facts, parsed entries, the row, the receipt). */
function entryDeps(
  f: EntryFacts,
  row: AuditRow | undefined,
  spec: number,
  record: LockRecord | undefined,
  receipt: Receipt | undefined,
  requireCertified: boolean,
  reads: number[],
  readBy: number[],
): unknown[] {
  const { entry } = f;
  return [
    row,
    spec,
    record ? JSON.stringify(record) : null,
    receipt,
    requireCertified,
    f.certification,
    f.certificationReason,
    f.realization,
    f.realizationReason,
    f.scriptExists,
    f.outputs,
    f.json,
    f.workflows,
    entry.name,
    entry.line,
    entry.family,
    entry.status,
    entry.statusNote,
    entry.script,
    entry.run,
    entry.keys,
    reads.join(),
    readBy.join(),
  ];
}

/** By entry index, `reads`: the compute entries an entry consumes (model.upstream); `readBy`: the inverse. */
function readEdges(facts: readonly EntryFacts[], model: WorkspaceModel): { reads: number[][]; readBy: number[][] } {
  const byName = new Map<string, number>();
  facts.forEach((f, i) => byName.has(f.entry.name) || byName.set(f.entry.name, i));
  const reads = facts.map((): number[] => []);
  const readBy = facts.map((): number[] => []);
  facts.forEach((f, i) => {
    const upstream = model.upstream.get(f.entry.name)?.entries ?? [];
    if (byName.get(f.entry.name) !== i) return; // a duplicated name (an error) has one upstream record, for its first declaration
    for (const name of upstream) {
      const j = byName.get(name);
      if (j === undefined) continue;
      reads[i].push(j);
      readBy[j].push(i);
    }
  });
  return { reads, readBy };
}

function groupFindings(findings: readonly Finding[], specsDir: string): Map<string, PageFinding[]> {
  const by = new Map<string, PageFinding[]>();
  for (const f of findings) {
    const list = by.get(f.spec);
    if (list) list.push(pageFinding(f, specsDir));
    else by.set(f.spec, [pageFinding(f, specsDir)]);
  }
  return by;
}

function pageFinding(f: Finding, specsDir: string): PageFinding {
  return {
    file: f.file,
    line: f.line,
    severity: f.severity,
    rule: f.rule,
    reason: f.reason,
    expected: f.expected ?? null,
    received: f.received ?? null,
    note: f.note ?? null,
    docs: ruleDocs(f.rule, specsDir),
    entry: f.entry ?? null,
  };
}
