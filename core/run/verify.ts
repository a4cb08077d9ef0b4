import { join } from 'node:path';
import { outsideWorkspace } from '../fs/inside';
import { statFile } from '../fs/read';
import type { Entry } from '../spec/types';
import { describeJsonProblem, jsonExample, jsonProblem, readJsonTop, type JsonProblem } from '../state/output-json';

/** One declared output that a run which exited 0 did not produce as the spec says. */
export type OutputProblem = { path: string } & (
  { kind: 'not-written' } | { kind: 'not-file' } | { kind: 'outside'; real: string } | JsonProblem
);

/**
 * Checks what a run that exited 0 claims to have produced: every declared
 * output exists as a file, and a compute output is a JSON object holding every
 * `Keys:` key at top level (core/state/output-json.ts, the audit's checker
 * too). None means verified.
 */
export function verifyOutputs(root: string, entry: Entry): OutputProblem[] {
  const problems: OutputProblem[] = [];
  for (const path of entry.outputs) {
    // A script that wrote a link out of the workspace: its target is never read, and never vouched for.
    const real = outsideWorkspace(root, path);
    if (real !== undefined) {
      problems.push({ path, kind: 'outside', real });
      continue;
    }
    const kind = statFile(join(root, path)).kind;
    if (kind === 'absent') problems.push({ path, kind: 'not-written' });
    else if (kind !== 'file') problems.push({ path, kind: 'not-file' });
    else if (entry.family === 'compute') {
      // Parsed whatever its size: the run is about to vouch for it.
      const p = jsonProblem(readJsonTop(root, path, Infinity), entry.keys);
      if (p) problems.push({ path, ...p });
    }
  }
  return problems;
}

/** The problem in words, with the right form: what `run-outputs` diagnostics say. */
export function describeOutputProblem(entry: Entry, p: OutputProblem): { reason: string; expected: string } {
  const field = entry.family === 'compute' ? 'Output:' : 'Export outputs:';
  if (p.kind === 'not-written') {
    return {
      reason: `${p.path} was not written: the command exited 0 but the entry's "${field}" names this file`,
      expected: `the script writes ${p.path}`,
    };
  }
  if (p.kind === 'outside')
    return { reason: `${p.path} is a link to ${p.real}, outside the workspace`, expected: `the script writes a file at ${p.path} itself` };
  if (p.kind === 'not-file')
    return { reason: `${p.path} is not a regular file`, expected: `the script writes a file at ${p.path}, as the entry's "${field}" says` };
  const example = jsonExample(entry.keys);
  return {
    reason: `${p.path} ${describeJsonProblem(p)}`,
    expected: p.kind === 'keys-missing' ? `an object like ${example}` : `one JSON object with named top-level keys, e.g. ${example}`,
  };
}
