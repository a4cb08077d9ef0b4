import { describeJsonProblem, jsonExample, jsonProblem } from '../state/output-json';
import type { RuleId } from '../diagnostics/rules';
import type { EntryFacts } from './facts';
import { fieldLine, type SpecText } from './spec-text';
import type { Check, Finding } from './types';

export interface EntryChecks {
  script: Check;
  output: Check;
  outputKeys: Check;
  exportOutputs: Check;
  findings: Finding[];
  notes: string[];
}

/**
 * Script, outputs and output keys of one entry against the working tree.
 * A `script TBD` entry is not expected to have a script or outputs yet, so it
 * gets ✗ cells but no findings; a ready entry without its script is an error,
 * and one without its outputs a warning (it has not run here yet).
 */
export function checkEntry(facts: EntryFacts, text: SpecText): EntryChecks {
  const { entry, spec } = facts;
  const ready = entry.status === 'script ready';
  const findings: Finding[] = [];
  const notes: string[] = [];
  const add = (line: number, severity: Finding['severity'], rule: RuleId, message: string, expected: string) =>
    findings.push({
      file: spec.file,
      line,
      severity,
      rule,
      source: 'audit',
      reason: message,
      expected,
      spec: spec.file,
      entry: entry.name,
    });
  const compute = entry.family === 'compute';
  const scriptLabel = compute ? 'Script' : 'Export script';
  for (const o of facts.outside) {
    add(
      entry.line,
      'error',
      'path-outside-workspace',
      `entry "${entry.name}" names ${o.path}, a link to ${o.real}, outside the workspace; it is never read or run`,
      'a file inside the workspace (copy it in instead of linking to it)',
    );
  }

  if (entry.script && !facts.scriptExists && ready) {
    add(
      fieldLine(text, entry, scriptLabel),
      'error',
      compute ? 'script-missing' : 'export-script-missing',
      `entry "${entry.name}" is "script ready" but its script ${entry.script} does not exist`,
      `create ${entry.script}, or mark the entry "- Status: script TBD" until it exists`,
    );
  }
  const missing = facts.outputs.filter((o) => !o.exists).map((o) => o.path);
  if (missing.length && ready) {
    const target = `${compute ? 'compute' : 'export'}--${entry.name}`;
    add(
      fieldLine(text, entry, compute ? 'Output' : 'Export outputs'),
      'warning',
      compute ? 'output-missing' : 'export-output-missing',
      `entry "${entry.name}" has not produced ${missing.join(', ')}`,
      `run it: nx run-many -t ${compute ? 'compute' : 'export'} (or the target ${target})`,
    );
  }
  if (!ready && entry.status) notes.push(`script TBD${entry.statusNote ? `: ${entry.statusNote}` : ''}`);
  const keys = compute
    ? checkKeys(
        facts,
        ready,
        (line, rule, message, expected) => add(line, 'error', rule, message, expected),
        () => fieldLine(text, entry, entry.keys.length ? 'Keys' : 'Output'),
        notes,
      )
    : '—';
  return {
    script: !entry.script ? '✗' : facts.scriptExists ? '✓' : '✗',
    output: compute ? (facts.outputs.length && !missing.length ? '✓' : '✗') : '—',
    outputKeys: keys,
    exportOutputs: compute ? '—' : facts.outputs.length && !missing.length ? '✓' : '✗',
    findings,
    notes,
  };
}

type AddError = (line: number, rule: RuleId, message: string, expected: string) => void;

function checkKeys(facts: EntryFacts, ready: boolean, add: AddError, line: () => number, notes: string[]): Check {
  const { entry, json } = facts;
  const path = entry.outputs[0];
  if (!json || json.kind === 'absent' || json.kind === 'not-file') return '—';
  if (json.kind === 'too-large') {
    notes.push(`${path} is ${Math.round(json.bytes / 1048576)} MiB; keys not read`);
    return '—';
  }
  // The run's checker (core/state/output-json.ts): the audit reports what a run would refuse.
  const problem = jsonProblem(json, entry.keys);
  if (!problem) return '✓';
  const example = jsonExample(entry.keys);
  if (problem.kind === 'keys-missing') {
    notes.push(`lacks ${problem.missing.join(', ')}`);
    if (ready)
      add(
        line(),
        'output-keys',
        `output ${path} of entry "${entry.name}" ${describeJsonProblem(problem)}`,
        `an object like ${example}, or a "Keys:" line that matches what the script writes (and "Status: script TBD" while it does not)`,
      );
  } else if (ready) {
    add(
      line(),
      'output-json',
      `output ${path} of entry "${entry.name}" ${describeJsonProblem(problem)}`,
      `one JSON object, e.g. ${example}`,
    );
  }
  return '✗';
}
