import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic';
import type { LockFileError } from '../lock/errors';
import { describeCertification, type Certification } from '../lock/classify';
import { lockFileRel } from '../lock/types';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { describeOutputProblem, type OutputProblem } from './verify';

/**
 * Why a run refuses or fails an entry, as diagnostics at the entry's heading
 * (core/diagnostics/diagnostic.ts): what failed first, then the right form and
 * what was there, then what to do. core/run/run-entry.ts decides; this says it.
 */

const recertify = (name: string) => `nx g @specthis/nx:certify ${name} (or: npx specthis lock record ${name})`;
const at = (entry: Entry) => ({ line: entry.line, spec: entry.specFile, entry: entry.name });

export function lockUnreadable(entry: Entry, error: LockFileError): Diagnostic {
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-lock-unreadable',
    reason: `${entry.name} not run: ${error.file} does not parse, so whether its inputs drifted since certification cannot be told`,
    expected: `a lock that parses (${error.diagnostic.file}:${error.diagnostic.line}: ${error.diagnostic.reason})`,
    note: `fix that file, or restore it: git checkout -- ${error.file}`,
  });
}

export function specAuditNeeded(entry: Entry, c: Certification): Diagnostic {
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-spec-audit-needed',
    reason: `${entry.name} needs a spec audit: ${describeCertification(c)}`,
    expected: `the inputs as certified (inputs_certified ${c.record?.inputs_certified.slice(0, 12) ?? 'none'}…)`,
    received: c.moved.length ? c.moved.map((m) => `${m.role} ${m.path} ${m.change}`).join(', ') : `inputs ${c.live.digest.slice(0, 12)}…`,
    note: `check the entry against ${entry.specFile}:${entry.line} (does the code still satisfy its contract?), then re-certify: ${recertify(entry.name)}`,
  });
}

export function scriptTbd(entry: Entry): Diagnostic {
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-script-tbd',
    reason: `${entry.name} is script TBD: ${entry.statusNote ?? 'the spec marks the script as not ready'}`,
    expected: '- Status: script ready',
    received: `- Status: script TBD${entry.statusNote ? ` — ${entry.statusNote}` : ''}`,
    note: `author the script, then set "- Status: script ready" in ${entry.specFile}:${entry.line}`,
  });
}

/** A warning, or an error under the plugin option `requireCertified`. */
export function unbound(model: WorkspaceModel, entry: Entry): Diagnostic {
  const lock = lockFileRel(model.options.specsDir);
  const required = model.options.requireCertified;
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-unbound',
    severity: required ? 'error' : 'warning',
    reason: required
      ? `${entry.name} was never certified (no record in ${lock}) and the plugin option "requireCertified" is true, so it does not run`
      : `${entry.name} was never certified (no record in ${lock}); it goes ahead uncertified`,
    expected: `a record for ${entry.name} in ${lock}`,
    received: 'no record',
    note: `once its script is checked against ${entry.specFile}:${entry.line}, certify it: ${recertify(entry.name)}${required ? '' : '. (With "requireCertified": true in the plugin\'s options it would not run.)'}`,
  });
}

/** Paths that lead out of the workspace: nothing is read from them or run. */
export function pathOutside(entry: Entry, outside: readonly { path: string; real: string }[]): Diagnostic {
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'path-outside-workspace',
    reason: `${entry.name} names ${outside.map((o) => `${o.path}, a link to ${o.real}`).join('; ')}: outside the workspace, so it is not run`,
    expected: 'files and directories inside the workspace (copy the file in instead of linking to it)',
    received: outside.map((o) => o.real).join(', '),
  });
}

export function scriptMissing(entry: Entry): Diagnostic {
  const field = entry.family === 'compute' ? 'Script:' : 'Export script:';
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-script-missing',
    reason: `${entry.name}'s script ${entry.script} does not exist`,
    expected: `a file at ${entry.script}, as "${field} ${entry.script}" contracts`,
    received: 'no file',
    note: 'create that file, or correct the path in the spec (and set the entry to "script TBD" until the script is written)',
  });
}

/** The command could not start, failed, was killed or interrupted. */
export function runFailed(entry: Entry, failure: string, exit: string, logFile: string): Diagnostic {
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-failed',
    reason: `${entry.name} ${failure}`,
    expected: 'the command exits 0',
    received: exit,
    note: `see the log ${logFile}; no receipt written, so it is not fresh`,
  });
}

export function outputsRefused(entry: Entry, problem: OutputProblem): Diagnostic {
  const { reason, expected } = describeOutputProblem(entry, problem);
  return diagnostic('run', entry.specFile, {
    ...at(entry),
    rule: 'run-outputs',
    reason: `${entry.name} exited 0 but ${reason}`,
    expected,
    note: 'no receipt written, so it is not fresh; fix the script (or the spec) and run again',
  });
}
