import { join, posix } from 'node:path';
import { sha256 } from '../hash/sha256';
import { lockFileRel, type Lock } from '../lock/types';
import type { Entry, Spec } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { scopeCreepFindings } from './contract';
import { certificationReader } from './certification-cell';
import { checkEntry } from './entry-checks';
import { entryFacts, type EntryFacts } from './facts';
import { fileChecker } from './files';
import { compareFindings } from './finding';
import { readHostDocument, readHostDocuments, type HostDocument } from './latex/host-docs';
import type { AuditMemo } from './memo';
import { buildRow } from './row';
import { checkRouting, entryKey } from './routing';
import { readSpecText, type SpecText } from './spec-text';
import { driftFindings } from './drift';
import { FRONT_MATTER_RULES, specFindings } from './front-matter';
import type { AuditResult, AuditRow, AuditSummary, Check, Finding } from './types';

/** Spec diagnostics that fail an entry's contract cell: its outputs are not where the format puts them. */
const CONTRACT_RULES = new Set(['routing-leak', 'entry-output-overlap']);

export interface AuditOptions {
  /** A spec directory (workspace-relative): audit the specs directly in it. Empty: the whole workspace. */
  scope?: string;
  /** The live server's: reuse each entry's facts from its previous rebuild when nothing they were computed from changed (memo.ts). */
  memo?: AuditMemo;
}

/** An audit and what it was built from; `_index.json` and `_routing.json` are made from the same facts. */
export interface AuditRun {
  result: AuditResult;
  facts: EntryFacts[];
  /** Every host document under `reports/` (whole-workspace audits only; a scoped audit reads only the ones its reports name). */
  hostDocuments: HostDocument[];
  /** The lock the certification states were read from; undefined when it does not parse (then a finding). */
  lock: Lock | undefined;
}

export function normalizeScope(scope: string | undefined): string {
  return (scope ?? '')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

/**
 * Checks the specs against the working tree (docs/architecture.md, "Audit"). Reads files,
 * writes nothing. Workspace-wide facts (which report owns which section) come
 * from the whole model even when the audit is scoped.
 */
export function runAudit(root: string, model: WorkspaceModel, options: AuditOptions = {}): AuditRun {
  const scope = normalizeScope(options.scope);
  const { memo } = options;
  memo?.begin();
  const exists = fileChecker(root);
  const texts = new Map<string, SpecText>();
  const textOf = (spec: Spec) => texts.get(spec.file) ?? texts.set(spec.file, readSpecText(root, spec.file)).get(spec.file)!;
  const exported = new Set(model.specs.flatMap((s) => s.entries.filter((e) => e.family === 'export').flatMap((e) => e.outputs)));
  const hostDocuments = scope ? [] : readHostDocuments(root, exported);
  const docs = new Map<string, HostDocument | undefined>(hostDocuments.map((d) => [d.file, d]));
  const docOf = (file: string) => (docs.has(file) ? docs.get(file) : docs.set(file, readHostDocument(root, file)).get(file));

  const inScope = (file: string) => !scope || posix.dirname(file) === scope;
  const reports = model.specs.filter((s) => s.kind === 'report');
  reports.forEach(textOf);
  const routing = checkRouting(reports, texts, docOf, exists);
  const lock = certificationReader(root, model);
  const findings: Finding[] = [...lock.findings, ...routing.findings.filter((f) => inScope(f.spec))];
  const rows: AuditRow[] = [];
  const facts: EntryFacts[] = [];
  const specs = model.specs.filter((s) => inScope(s.file));
  const lockPath = join(root, lockFileRel(model.options.specsDir));
  for (const spec of specs) {
    const text = textOf(spec);
    // The spec as parsed holds its entries: with whether it is blocked, all of an entry's key but its upstream. Hashed: compared once per entry.
    const specKey = memo && sha256(JSON.stringify([spec, model.blocked.has(spec.file)]));
    const specFacts = spec.entries.map((entry, i) => {
      const compute = () => entryFacts(root, model, spec, entry, exists, lock);
      // The lock is read once for the whole audit, outside what the memo sees: named as a dependency of every entry.
      return memo
        ? memo.facts(`${spec.file}\0${i}`, `${specKey} ${JSON.stringify(model.upstream.get(entry.name) ?? null)}`, [lockPath], compute)
        : compute();
    });
    const cells = spec.entries.map((entry) => routing.byEntry.get(entryKey(spec, entry)));
    const current = memo ? specFacts.map((f, i) => rebind(f, spec, spec.entries[i])) : specFacts;
    const derive = () => specRows(spec, text, current, cells);
    // Rows and findings follow from the spec, its text, its entries' facts and routing cells only: kept while all of those are.
    const own = memo ? memo.spec(spec.file, `${specKey} ${JSON.stringify(cells)}`, text, specFacts, derive) : derive();
    findings.push(...own.findings);
    rows.push(...own.rows);
    facts.push(...current);
  }
  memo?.sweep();
  findings.sort(compareFindings);
  const result: AuditResult = {
    scope,
    specs: specs.map((s) => s.file),
    rows,
    findings,
    summary: summarize(rows, findings),
    exitCode: findings.some((f) => f.severity === 'error') ? 1 : 0,
  };
  return { result, facts, hostDocuments, lock: lock.lock };
}

/** One spec's rows and findings (its own and its entries'), from its entries' facts. */
function specRows(
  spec: Spec,
  text: SpecText,
  facts: readonly EntryFacts[],
  cells: readonly ({ check: Check; notes: string[] } | undefined)[],
): { findings: Finding[]; rows: AuditRow[] } {
  const contract = scopeCreepFindings(spec, text);
  const findings = [...specFindings(spec, text), ...contract];
  const rows = facts.map((f, i) => {
    const checks = checkEntry(f, text);
    // Where outputs live is checked when specs are read (core/spec/entries.ts, core/workspace/overlaps.ts); the row shows it.
    const leaks = spec.diagnostics
      .filter((d) => d.entry === f.entry.name && CONTRACT_RULES.has(d.rule))
      .map((d) => ({ ...d, spec: spec.file }));
    findings.push(...checks.findings, ...driftFindings(f));
    return buildRow(f, checks, [...contract, ...leaks], cells[i]);
  });
  return { findings, rows };
}

/** Kept facts point at the previous rebuild's model; equal by the memo's key, but the current objects are the ones to hold. */
function rebind(f: EntryFacts, spec: Spec, entry: Entry): EntryFacts {
  return f.spec === spec && f.entry === entry ? f : { ...f, spec, entry };
}

/** The counts the summary section prints: the audit summary categories (docs/architecture.md, "Audit"), and errors and warnings overall. */
export function summarize(rows: readonly AuditRow[], findings: readonly Finding[]): AuditSummary {
  const count = (rules: (rule: string) => boolean) => findings.filter((f) => rules(f.rule)).length;
  return {
    entries: rows.length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    scriptTbd: rows.filter((r) => r.specStatus === 'script TBD' || r.exportStatus === 'script TBD').map((r) => r.entry),
    contractProblems: count((r) => r === 'scope-creep' || CONTRACT_RULES.has(r)),
    orphanedExports: count((r) => r === 'orphaned-export'),
    staleRoutings: count((r) => r === 'stale-routing'),
    frontMatterViolations: count((r) => FRONT_MATTER_RULES.has(r)),
  };
}
