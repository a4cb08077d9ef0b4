import { logger } from '@nx/devkit';
import type { CertifyPlan, PlannedRecord, Refusal } from '../../core/lock/certify';
import { describeMove } from '../../core/hash/moved';

const SHORT = 12;

/**
 * What certifying will record, before anything is written: under --dry-run this
 * is all the user sees, so it shows each record's digest and components.
 */
export function logPlan(plan: CertifyPlan, lockFile: string): void {
  for (const r of plan.records) logger.info(describeRecord(r, lockFile));
  if (plan.unchanged.length)
    logger.info(`Already certified with the same inputs (records kept as they are): ${plan.unchanged.join(', ')}.`);
  if (plan.skipped.length) logger.warn(`Skipped (not ready to certify):\n${plan.skipped.map(refusalText).join('\n')}`);
  if (!plan.records.length) logger.info(`Nothing new to certify in ${lockFile}.`);
}

export function refusalText(r: Refusal): string {
  return `  ${r.entry}: ${r.reason}`;
}

function describeRecord(r: PlannedRecord, lockFile: string): string {
  const why =
    r.previous === 'unbound'
      ? 'new record'
      : `re-certify; moved since the last record: ${r.moved.length ? r.moved.map(describeMove).join(', ') : 'the framing'}`;
  const width = Math.max(...r.record.components.map((c) => c.role.length));
  const components = r.record.components.map(
    (c) => `    ${c.role.padEnd(width)}  ${c.path}  ${c.sha256 === 'missing' ? 'missing' : c.sha256.slice(0, SHORT)}`,
  );
  return [
    `Certify ${r.entry} in ${lockFile} (${why}) as ${r.record.author}:`,
    `    inputs_certified  ${r.record.inputs_certified}`,
    ...components,
  ].join('\n');
}
