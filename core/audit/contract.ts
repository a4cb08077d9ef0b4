import type { Spec } from '../spec/types';
import { findScopeCreep } from './scope-creep';
import type { SpecText } from './spec-text';
import type { Finding } from './types';

/**
 * Scope creep in a compute spec: one warning per line that describes figures.
 * A line inside an entry block is about that entry; a line elsewhere (the
 * `## Script` section, the introduction) is about every entry of the spec.
 */
export function scopeCreepFindings(spec: Spec, text: SpecText): Finding[] {
  if (spec.kind !== 'compute') return [];
  return findScopeCreep(text.lines, text.bodyStart).map((hit) => {
    const entry = spec.entries.find((e) => hit.index >= e.block.start && hit.index < e.block.end);
    return {
      file: spec.file,
      line: hit.index + 1,
      severity: 'warning' as const,
      rule: 'scope-creep',
      source: 'audit',
      reason: `compute spec describes figures (${hit.terms.join(', ')}); a compute spec describes data, and how results look belongs in a report or figure spec`,
      expected: 'move it to the report spec\'s "## Artefact design" section, or to a figure spec',
      spec: spec.file,
      ...(entry ? { entry: entry.name } : {}),
    };
  });
}
