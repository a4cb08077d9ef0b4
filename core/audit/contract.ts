import { posix } from 'node:path';
import type { Entry, Spec } from '../spec/types';
import { isUnder as under, REPORTS_DIR, RESULTS_DIR } from '../layout';
import { findScopeCreep } from './scope-creep';
import { fieldLine, type SpecText } from './spec-text';
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

/**
 * Routing leaks: a compute `Output:` is one JSON under `results/`, never under
 * `reports/`; export outputs live under `reports/`. A leak puts data where the
 * paper reads, or an artefact where results are cached, and is an error.
 */
export function routingLeakFindings(spec: Spec, entry: Entry, text: SpecText): Finding[] {
  const problems: string[] = [];
  if (entry.family === 'compute') {
    for (const path of entry.outputs) {
      if (under(path, REPORTS_DIR)) problems.push(`${path} is under ${REPORTS_DIR}/, where the paper's artefacts live`);
      else if (!under(path, RESULTS_DIR)) problems.push(`${path} is not under ${RESULTS_DIR}/`);
      if (posix.extname(path).toLowerCase() !== '.json') problems.push(`${path} is not a .json file`);
    }
  } else {
    for (const path of entry.outputs) if (!under(path, REPORTS_DIR)) problems.push(`${path} is not under ${REPORTS_DIR}/`);
  }
  if (!problems.length) return [];
  const compute = entry.family === 'compute';
  return [
    {
      file: spec.file,
      line: fieldLine(text, entry, compute ? 'Output' : 'Export outputs'),
      severity: 'error',
      rule: 'routing-leak',
      source: 'audit',
      reason: `entry "${entry.name}" routes its output wrongly: ${problems.join('; ')}`,
      expected: compute
        ? `- Output: \`${RESULTS_DIR}/${spec.stem}-${entry.name}/${posix.basename(entry.outputs[0] ?? 'result').replace(/\.[^.]*$/, '')}.json\``
        : `- Export outputs: \`${REPORTS_DIR}/tables/${entry.name}.tex\``,
      spec: spec.file,
      entry: entry.name,
    },
  ];
}
