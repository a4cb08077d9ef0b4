import type { WorkspaceModel } from '../workspace/types';
import type { AuditRun } from './audit';
import type { EntryFacts } from './facts';

export const INDEX_VERSION = 1;

/**
 * `_index.json` (docs/architecture.md, "Audit"): per spec its front matter, per entry what the
 * working tree holds. Built from the facts of a whole-workspace audit; absent
 * values are null so every record has the same shape. No timestamps: the same
 * tree gives the same bytes.
 */
export function buildIndex(model: WorkspaceModel, run: AuditRun): object {
  if (run.result.scope) throw new Error(`_index.json describes the whole workspace; this audit is scoped to ${run.result.scope}/`);
  const factsOf = new Map(run.facts.map((f) => [`${f.spec.file}#${f.entry.name}`, f]));
  return {
    version: INDEX_VERSION,
    specs_dir: model.options.specsDir,
    specs: model.specs.map((spec) => ({
      file: spec.file,
      name: spec.name ?? null,
      kind: spec.kind ?? null,
      depends_on: spec.dependsOn,
      host_doc: spec.hostDoc ?? null,
      section_label: spec.sectionLabel ?? null,
      title: spec.title ?? null,
      errors: spec.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: spec.diagnostics.filter((d) => d.severity === 'warning').length,
      entries: spec.entries.map((e) => indexEntry(factsOf.get(`${spec.file}#${e.name}`)!)),
    })),
  };
}

function indexEntry(f: EntryFacts): object {
  const { entry, spec } = f;
  return {
    name: entry.name,
    kind: spec.kind ?? null,
    family: entry.family,
    line: entry.line,
    status: entry.status ?? null,
    status_note: entry.statusNote ?? null,
    script: entry.script ? { path: entry.script, exists: f.scriptExists } : null,
    outputs: f.outputs,
    keys: entry.keys,
    output_keys: f.json?.kind === 'object' ? f.json.keys : null,
    workflows: f.workflows,
    reads: entry.reads ?? null,
    certification: f.certification === '—' ? null : f.certification,
    certification_reason: f.certificationReason,
    realization: f.realization,
    realization_reason: f.realizationReason,
  };
}
