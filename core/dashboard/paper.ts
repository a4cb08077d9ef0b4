import type { HostDocument } from '../audit/latex/host-docs';
import { resolveInput } from '../audit/latex/resolve';
import type { PaperDocument } from './page-model';

/**
 * The paper view: per host document, per label in document order, what its
 * section pulls in and which entry exports each file. Same resolution as
 * `_routing.json` (core/audit/routing-json.ts).
 */
export function paperDocuments(
  hostDocuments: readonly HostDocument[],
  exporters: ReadonlyMap<string, number[]>,
  reportSpecs: (doc: string, label: string) => number[],
  exists: (path: string) => boolean,
): PaperDocument[] {
  return [...hostDocuments]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((host) => ({
      file: host.file,
      labels: [...host.scopes.entries()]
        .sort(([a, x], [b, y]) => x.label.line - y.label.line || (a < b ? -1 : 1))
        .map(([name, scope]) => ({
          name,
          line: scope.label.line,
          section: scope.section ? { command: scope.section.command, title: scope.section.title, line: scope.section.line } : null,
          sectionVersionNear: scope.sectionVersionNear,
          reportSpecs: reportSpecs(host.file, name),
          inputs: scope.inputs.map((input) => {
            const { file, exists: found } = resolveInput(host.file, input, exists);
            return {
              command: input.command,
              path: input.path,
              line: input.line,
              file,
              exists: found,
              exportedBy: file ? (exporters.get(file) ?? []) : [],
            };
          }),
        })),
    }));
}
