import type { RuleId } from '../diagnostics/rules';
import { posix } from 'node:path';
import { closest } from '../spec/closest';
import type { Entry, Spec } from '../spec/types';
import { REPORTS_DIR } from '../layout';
import type { HostDocument } from './latex/host-docs';
import { candidateFiles, GRAPHIC_EXTENSIONS } from './latex/resolve';
import type { LabelScope } from './latex/sections';
import { frontMatterLine, type SpecText } from './spec-text';
import type { Check, Finding } from './types';

export interface RoutingOutcome {
  findings: Finding[];
  /** Report entries only, by entryKey: the "report routing" cell and its notes. */
  byEntry: Map<string, { check: Check; notes: string[] }>;
}

/** Entries are keyed by spec and name: a duplicated name (an error) must not merge two rows. */
export const entryKey = (spec: Pick<Spec, 'file'>, entry: Pick<Entry, 'name'>) => `${spec.file}#${entry.name}`;

/** Files `\input` or `\includegraphics` can place; other exports (`.dat`, `.csv`) are data an artefact beside them reads. */
const PLACEABLE = new Set(['.tex', ...GRAPHIC_EXTENSIONS]);

/**
 * Report routing (docs/architecture.md, "Audit"): the host document has the section label;
 * every export of the report's entries is `\input`/`\includegraphics`'d in
 * that section (else *orphaned export*); everything the section pulls in from
 * `reports/` is exported by a report bound to that section (else *stale
 * routing*). A data export counts as routed when a sibling export of its entry is.
 */
export function checkRouting(
  reports: readonly Spec[],
  texts: Map<string, SpecText>,
  docOf: (file: string) => HostDocument | undefined,
  exists: (path: string) => boolean,
): RoutingOutcome {
  const outcome: RoutingOutcome = { findings: [], byEntry: new Map() };
  const sections = new Map<string, { doc: HostDocument; scope: LabelScope; specs: Spec[] }>();
  for (const spec of reports) {
    const mark = (check: Check, note?: string) =>
      spec.entries.forEach((e) => outcome.byEntry.set(entryKey(spec, e), { check, notes: note ? [note] : [] }));
    const text = texts.get(spec.file)!;
    const add = (key: string, rule: RuleId, message: string, expected: string) =>
      outcome.findings.push({
        file: spec.file,
        line: frontMatterLine(text, key),
        severity: 'error',
        rule,
        source: 'audit',
        reason: message,
        expected,
        spec: spec.file,
      });
    if (!spec.hostDoc || !spec.sectionLabel || !spec.hostDoc.startsWith(`${REPORTS_DIR}/`) || spec.hostDoc.split('/').includes('..')) {
      mark('✗', 'no valid host_doc/section_label');
      continue;
    }
    const doc = exists(spec.hostDoc) ? docOf(spec.hostDoc) : undefined;
    if (!doc) {
      add(
        'host_doc',
        'routing-host-doc-missing',
        `host_doc ${spec.hostDoc} ${exists(spec.hostDoc) ? 'could not be read as a LaTeX document' : 'does not exist'}`,
        `a LaTeX file at ${spec.hostDoc} with \\label{${spec.sectionLabel}} in the section that includes the exports`,
      );
      mark('✗', `host document ${spec.hostDoc} missing`);
      continue;
    }
    const scope = doc.scopes.get(spec.sectionLabel);
    if (!scope) {
      const near = closest(spec.sectionLabel, [...doc.scopes.keys()]);
      add(
        'section_label',
        'routing-label-missing',
        `${spec.hostDoc} has no \\label{${spec.sectionLabel}}${near ? `; did you mean "${near}"?` : ''}`,
        near ? `section_label: ${near}` : `\\section{...}\\label{${spec.sectionLabel}} in ${spec.hostDoc}`,
      );
      mark('✗', `label ${spec.sectionLabel} missing`);
      continue;
    }
    const key = `${doc.file}\0${spec.sectionLabel}`;
    sections.set(key, { doc, scope, specs: [...(sections.get(key)?.specs ?? []), spec] });
    for (const entry of spec.entries) outcome.byEntry.set(entryKey(spec, entry), orphans(spec, entry, doc, scope, outcome.findings));
  }
  for (const { doc, scope, specs } of sections.values()) staleRoutings(doc, scope, specs, outcome);
  return outcome;
}

function orphans(spec: Spec, entry: Entry, doc: HostDocument, scope: LabelScope, findings: Finding[]): { check: Check; notes: string[] } {
  const placed = new Set(scope.inputs.flatMap((i) => candidateFiles(doc.file, i)));
  const exports = entry.outputs.filter((p) => p.startsWith(`${REPORTS_DIR}/`));
  const siblingPlaced = exports.some((p) => placed.has(p));
  const orphaned = exports.filter((p) => !placed.has(p) && (PLACEABLE.has(posix.extname(p).toLowerCase()) || !siblingPlaced));
  for (const path of orphaned) {
    const rel = posix.relative(posix.dirname(doc.file), path);
    const command = GRAPHIC_EXTENSIONS.includes(posix.extname(path).toLowerCase())
      ? `\\includegraphics{${rel}}`
      : `\\input{${rel.replace(/\.tex$/i, '')}}`;
    findings.push({
      file: doc.file,
      line: scope.label.line,
      severity: 'error',
      rule: 'orphaned-export',
      source: 'audit',
      reason: `${path}, exported by entry "${entry.name}" (${spec.file}), is not included in the section of \\label{${scope.label.name}}`,
      expected: `${command} in that section`,
      spec: spec.file,
      entry: entry.name,
    });
  }
  return { check: orphaned.length ? '✗' : '✓', notes: orphaned.length ? [`orphaned: ${orphaned.join(', ')}`] : [] };
}

function staleRoutings(doc: HostDocument, scope: LabelScope, specs: Spec[], outcome: RoutingOutcome): void {
  const exported = new Set(specs.flatMap((s) => s.entries.flatMap((e) => e.outputs)));
  for (const input of scope.inputs) {
    const candidates = candidateFiles(doc.file, input);
    if (!candidates.length || !candidates.every((c) => c.startsWith(`${REPORTS_DIR}/`)) || candidates.some((c) => exported.has(c)))
      continue;
    const owners = specs.map((s) => s.file).join(', ');
    outcome.findings.push({
      file: doc.file,
      line: input.line,
      severity: 'error',
      rule: 'stale-routing',
      source: 'audit',
      reason: `the section of \\label{${scope.label.name}} includes ${input.path} (${candidates[0]}), which no entry of ${owners} exports`,
      expected: `remove the \\${input.command}, or add ${candidates[0]} to an entry's "Export outputs:"`,
      spec: specs[0].file,
    });
    for (const s of specs)
      for (const e of s.entries) {
        const cell = outcome.byEntry.get(entryKey(s, e)) ?? { check: '✓' as Check, notes: [] };
        outcome.byEntry.set(entryKey(s, e), { check: '✗', notes: [...cell.notes, `stale routing: ${input.path}`] });
      }
  }
}
