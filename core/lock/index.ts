/**
 * Certification (docs/architecture.md, "Entry state"): the content-hash lock `<specsDir>/_lock.json`.
 * What the run, the generator, the CLI and the audit use.
 */
export { LOCK_FILE, lockFilePath, lockFileRel, recordOf, type Lock, type LockRecord } from './types';
export { LockFileError } from './errors';
export { parseLock } from './parse';
export { formatLock } from './format';
export { readLock, updateLock, type LockUpdate } from './store';
export { withExclusiveFile, type ExclusiveOptions } from './mutex';
export { resolveAuthor } from './author';
export {
  certificationOf,
  classifyCertification,
  describeCertification,
  type Certification,
  type CertificationCause,
  type CertificationState,
} from './classify';
export { planCertification, type CertifyPlan, type CertifyRequest, type PlannedRecord, type Refusal } from './certify';
export { recordCertifications, clearCertifications } from './record';
export { describeMove, describeComponent, diffComponents, type MovedComponent } from '../hash/moved';
