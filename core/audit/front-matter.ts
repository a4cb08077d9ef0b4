import type { RuleId } from '../diagnostics/rules';
import { posix } from 'node:path';
import type { Spec } from '../spec/types';
import { fromDiagnostic } from './finding';
import { REPORTS_DIR } from '../layout';
import { bodyText, frontMatterLine, type SpecText } from './spec-text';
import type { Finding } from './types';

/** Rules counted as front-matter violations in the summary. */
export const FRONT_MATTER_RULES = new Set([
  'front-matter-name',
  'front-matter-kind',
  'depends-on-missing',
  'depends-on-unmentioned',
  'report-host-doc',
  'report-section-label',
]);

/**
 * Spec-level findings: every parse and workspace diagnostic (name ≠ stem,
 * unknown kind, depends_on to a missing file, …), plus what only the audit
 * checks: each `depends_on` is mentioned in the body, and a report names its
 * host document under `reports/` and the section label.
 */
export function specFindings(spec: Spec, text: SpecText): Finding[] {
  const findings = spec.diagnostics.map((d) => fromDiagnostic(spec.file, d));
  const missing = new Set(spec.diagnostics.filter((d) => d.rule === 'depends-on-missing').map((d) => d.received));
  const body = bodyText(text);
  spec.dependsOn.forEach((dep, i) => {
    const line = spec.dependsOnLines[i] ?? frontMatterLine(text, 'depends_on');
    if (missing.has(dep) || mentions(body, dep)) return;
    findings.push({
      file: spec.file,
      line,
      severity: 'error',
      rule: 'depends-on-unmentioned',
      source: 'audit',
      reason: `depends_on names ${dep}, but the body never mentions it; say what this spec takes from it`,
      expected: `a sentence in the body naming \`${dep}\` (or ${stem(dep)})`,
      spec: spec.file,
    });
  });
  if (spec.kind === 'report') findings.push(...reportFrontMatter(spec, text));
  return findings;
}

function reportFrontMatter(spec: Spec, text: SpecText): Finding[] {
  const out: Finding[] = [];
  const add = (line: number, rule: RuleId, message: string, expected: string) =>
    out.push({ file: spec.file, line, severity: 'error', rule, source: 'audit', reason: message, expected, spec: spec.file });
  if (!spec.hostDoc)
    add(
      frontMatterLine(text, 'kind'),
      'report-host-doc',
      'report spec has no host_doc: the LaTeX document its exports are routed into',
      `host_doc: ${REPORTS_DIR}/paper.tex`,
    );
  else if (!spec.hostDoc.startsWith(`${REPORTS_DIR}/`) || spec.hostDoc.split('/').includes('..'))
    add(
      frontMatterLine(text, 'host_doc'),
      'report-host-doc',
      `host_doc ${spec.hostDoc} is not under ${REPORTS_DIR}/`,
      `host_doc: ${REPORTS_DIR}/${posix.basename(spec.hostDoc)}`,
    );
  if (!spec.sectionLabel)
    add(
      frontMatterLine(text, 'kind'),
      'report-section-label',
      'report spec has no section_label: the \\label{} of the section that must include its exports',
      'section_label: sec:results',
    );
  return out;
}

/** The body mentions a dependency by its path (as written or from its directory), its file name, or its stem as a whole word. */
function mentions(body: string, dep: string): boolean {
  const base = posix.basename(dep);
  if (body.includes(dep) || body.includes(base)) return true;
  const word = stem(dep).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_-])${word}($|[^A-Za-z0-9_-])`).test(body);
}

function stem(dep: string): string {
  return posix.basename(dep).replace(/\.md$/i, '');
}
