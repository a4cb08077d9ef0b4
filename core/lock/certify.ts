import { join } from 'node:path';
import { isFile } from '../fs/stat';
import { pathsOutside } from '../workspace/entry-paths';
import { computeInputs, FRAMING_VERSION } from '../hash/inputs';
import { blockedHome, unknownEntryHint } from '../workspace/lookup';
import { countErrors } from '../diagnostics/diagnostic';
import type { Entry, Spec } from '../spec/types';
import type { MovedComponent } from '../hash/moved';
import type { WorkspaceModel } from '../workspace/types';
import { resolveAuthor } from './author';
import { classifyCertification, type CertificationState } from './classify';
import type { Lock, LockRecord } from './types';

export interface CertifyRequest {
  /** Entries to certify, by name. */
  entries?: string[];
  /** Every `script ready` entry whose script exists; the others are skipped and listed. */
  allReady?: boolean;
  /** Default: `git config user.name`, else the OS login name. */
  author?: string;
  now?: Date;
}

export interface PlannedRecord {
  entry: string;
  record: LockRecord;
  /** Its certification before this one: `unbound` (new) or `spec audit needed` (with what moved). */
  previous: CertificationState;
  moved: MovedComponent[];
}

/** Why an entry is not certified: refused (named, cannot be), skipped (--all-ready), blocked (spec has errors), unknown. */
export interface Refusal {
  entry: string;
  reason: string;
  /** The spec with errors, when that is the reason; callers print its diagnostics. */
  blockedSpec?: Spec;
}

export interface CertifyPlan {
  records: PlannedRecord[];
  /** Already certified with the same inputs: their records stay as they are, author and date included. */
  unchanged: string[];
  refused: Refusal[];
  skipped: Refusal[];
}

/**
 * What certifying would record, with every refusal explained; writes nothing.
 * `recordCertifications` writes a plan's records. A plan with refusals should not
 * be recorded at all: a partial certification of a named set is a surprise.
 */
export function planCertification(root: string, model: WorkspaceModel, lock: Lock, request: CertifyRequest): CertifyPlan {
  const plan: CertifyPlan = { records: [], unchanged: [], refused: [], skipped: [] };
  const author = resolveAuthor(root, request.author);
  const ts = (request.now ?? new Date()).toISOString();
  const candidates: Entry[] = [];
  for (const name of [...new Set(request.entries ?? [])]) {
    const entry = model.entries.get(name);
    if (entry) candidates.push(entry);
    else plan.refused.push(missingEntry(root, model, name));
  }
  if (request.allReady) {
    for (const spec of model.specs.filter((s) => model.blocked.has(s.file))) {
      const names = spec.entries.length ? spec.entries.map((e) => e.name).join(', ') : `the entries of ${spec.file}`;
      plan.skipped.push({ entry: names, reason: `${spec.file} has ${countErrors(spec.diagnostics)}`, blockedSpec: spec });
    }
    const named = new Set(candidates);
    candidates.push(...[...model.entries.values()].filter((e) => !named.has(e)));
  }
  for (const entry of [...candidates].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const why = notReady(root, entry);
    if (why) (request.entries?.includes(entry.name) ? plan.refused : plan.skipped).push({ entry: entry.name, reason: why });
    else planOne(root, model, lock, entry, author, ts, plan);
  }
  return plan;
}

function planOne(root: string, model: WorkspaceModel, lock: Lock, entry: Entry, author: string, ts: string, plan: CertifyPlan): void {
  const spec = model.specs.find((s) => s.file === entry.specFile)!;
  const live = computeInputs(root, spec, entry);
  const dependsOn = [...spec.dependsOn].sort();
  const now = classifyCertification(live, Object.prototype.hasOwnProperty.call(lock, entry.name) ? lock[entry.name] : undefined);
  if (now.state === 'certified' && now.record!.depends_on.join('\n') === dependsOn.join('\n')) {
    plan.unchanged.push(entry.name);
    return;
  }
  const record: LockRecord = {
    inputs_certified: live.digest,
    framing: FRAMING_VERSION,
    components: live.components,
    depends_on: dependsOn,
    author,
    ts,
  };
  plan.records.push({ entry: entry.name, record, previous: now.state, moved: now.moved });
}

/** docs/architecture.md, "Entry state": an entry whose script is not ready, or not there, has nothing to certify. */
function notReady(root: string, entry: Entry): string | undefined {
  const at = `${entry.specFile}:${entry.line}`;
  if (entry.status !== 'script ready') {
    const note = entry.statusNote ? ` (${entry.statusNote})` : '';
    return `${at} says "Status: ${entry.status ?? 'missing'}"${note}; only a "script ready" entry can be certified: author the script, set "- Status: script ready", then certify`;
  }
  if (!entry.script) return `${at} names no script; certification vouches for a script against its spec`;
  // Certification vouches for bytes it has read: a link out of the workspace is never read, so never vouched for.
  const outside = pathsOutside(root, entry).map((o) => `${o.path} is a link to ${o.real}`);
  if (outside.length) return `${outside.join('; ')}, outside the workspace (${at}); copy the file into the workspace, then certify`;
  if (!isFile(join(root, entry.script)))
    return `its script ${entry.script} does not exist (${at}); write it, or correct the path in the spec, then certify`;
  return undefined;
}

function missingEntry(root: string, model: WorkspaceModel, name: string): Refusal {
  const home = blockedHome(root, model, name);
  if (home)
    return {
      entry: name,
      reason: `${home.file} declares it and has ${countErrors(home.diagnostics)}; fix the spec, then certify`,
      blockedSpec: home,
    };
  return { entry: name, reason: `no entry "${name}" in ${model.options.specsDir}/; ${unknownEntryHint(model, name)}` };
}
