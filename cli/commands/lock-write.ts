import { clearCertifications, lockFileRel, planCertification, recordCertifications, type Refusal } from '../../core/lock';
import { planClear, unknownRecordsReason } from '../../core/lock/record';
import { lines } from '../command';
import { readLockOrFail } from '../entry-view';
import { EXIT, usageError } from '../exit';
import type { CliIo } from '../io';
import type { OpenWorkspace } from '../workspace';

/** `specthis lock record`: certify named entries, or every ready one; a named set is all or nothing. */
export function recordLock(
  io: CliIo,
  { root, options, model }: OpenWorkspace,
  names: string[],
  allReady: boolean,
  author: string | undefined,
): number {
  if (!names.length && !allReady)
    throw usageError('specthis lock record: name the entries to certify, or pass --all-ready; see `specthis lock --help`');
  const plan = planCertification(root, model, readLockOrFail(root, options.specsDir), { entries: names, allReady, author });
  const out = lines(io.stdout);
  const err = lines(io.stderr);
  if (plan.refused.length) {
    for (const r of plan.refused) err(...refusal('refused', r));
    err(`specthis lock record: nothing recorded (${plan.refused.length} refused)`);
    return EXIT.findings;
  }
  if (plan.records.length) recordCertifications(root, options.specsDir, plan.records);
  for (const p of plan.records)
    out(
      `certified   ${p.entry} (was ${p.previous}${p.moved.length ? `; ${p.moved.length} input${p.moved.length === 1 ? '' : 's'} moved` : ''})`,
    );
  for (const name of plan.unchanged) out(`unchanged   ${name} (already certified with these inputs)`);
  for (const s of plan.skipped) out(...refusal('skipped', s));
  return EXIT.ok;
}

/** `specthis lock clear`: names without a record are reported, not refused, so clearing is idempotent. */
export function clearLock(io: CliIo, { root, options, model }: OpenWorkspace, names: string[], all: boolean): number {
  if (names.length === 0 && !all)
    throw usageError('specthis lock clear: name the entries whose records to remove, or pass --all; see `specthis lock --help`');
  if (names.length && all) throw usageError('specthis lock clear: pass entry names or --all, not both');
  // An unparsable lock is reported as such, never rewritten.
  const plan = planClear(readLockOrFail(root, options.specsDir), (n) => model.entries.has(n), all ? 'all' : names);
  if (plan.unknown.length) {
    const file = lockFileRel(options.specsDir);
    throw usageError(`specthis lock clear: ${unknownRecordsReason(plan.unknown, options.specsDir, file)}; nothing cleared`);
  }
  const { cleared } = clearCertifications(root, options.specsDir, all ? 'all' : names);
  const out = lines(io.stdout);
  for (const name of cleared) out(`cleared     ${name}`);
  for (const name of plan.noRecord) out(`no record   ${name}`);
  if (all && !cleared.length) out('no records to clear');
  return EXIT.ok;
}

function refusal(verb: string, r: Refusal): string[] {
  const head = `${verb.padEnd(11)} ${r.entry}: ${r.reason}`;
  return r.blockedSpec
    ? [
        head,
        ...r.blockedSpec.diagnostics.filter((d) => d.severity === 'error').map((d) => `  ${d.file}:${d.line}: ${d.reason} [${d.rule}]`),
      ]
    : [head];
}
