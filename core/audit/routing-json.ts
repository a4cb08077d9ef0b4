import type { Spec } from '../spec/types';
import type { AuditRun } from './audit';
import { resolveInput } from './latex/resolve';

export const ROUTING_VERSION = 1;

/**
 * `_routing.json` (docs/architecture.md, "Audit"): per host document under `reports/`, per
 * `\label{}`: its line, its section, every `\input`/`\include`/
 * `\includegraphics` in that section with its line and the file it resolves
 * to, whether `\sectionversion` is within 10 lines, and the report specs that
 * name the label. Keys sort, so the same tree gives the same bytes.
 */
export function buildRouting(specs: readonly Spec[], run: AuditRun, exists: (path: string) => boolean): object {
  const boundBy = (doc: string, label: string) =>
    specs.filter((s) => s.kind === 'report' && s.hostDoc === doc && s.sectionLabel === label).map((s) => s.file);
  // Keyed by file and \label names the paper chooses: no prototype, so `\label{__proto__}` is a key like any other.
  const documents: Record<string, object> = Object.create(null);
  for (const host of run.hostDocuments) {
    const labels: Record<string, object> = Object.create(null);
    for (const [name, scope] of host.scopes) {
      labels[name] = {
        line: scope.label.line,
        section_line: scope.section?.line ?? null,
        section_command: scope.section?.command ?? null,
        section_title: scope.section?.title ?? null,
        inputs: scope.inputs.map((i) => ({ command: i.command, path: i.path, line: i.line, ...resolveInput(host.file, i, exists) })),
        sectionversion_near: scope.sectionVersionNear,
        report_specs: boundBy(host.file, name),
      };
    }
    documents[host.file] = { labels };
  }
  return { version: ROUTING_VERSION, documents };
}
