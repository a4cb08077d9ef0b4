import type { Component } from '../hash/inputs';
import { classifyCertification, type Certification } from '../lock/certification';
import { LockFileError } from '../lock/errors';
import { readLock } from '../lock/store';
import { lockFileRel, recordOf } from '../lock/types';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import type { RunLogger } from './logger';

/**
 * The entry's certification against the lock, or undefined (reported) when the
 * lock does not parse: a broken lock must stop the run, never read as "unbound".
 */
export function runCertification(
  root: string,
  model: WorkspaceModel,
  entry: Entry,
  live: { digest: string; components: Component[] },
  log: RunLogger,
): Certification | undefined {
  try {
    return classifyCertification(live, recordOf(readLock(root, model.options.specsDir), entry.name));
  } catch (error) {
    if (!(error instanceof LockFileError)) throw error;
    log.error(error.message);
    log.error(
      `specthis: ${entry.name} not run: ${error.file} does not parse, so whether its inputs drifted since certification cannot be told; fix that file (or restore it: git checkout -- ${error.file})`,
    );
    return undefined;
  }
}

const recertify = (name: string) => `nx g @specthis/nx:certify ${name} (or: npx specthis lock record ${name})`;

/** DESIGN.md §4: the run fails, naming each moved input and how to re-certify. */
export function auditNeededMessage(entry: Entry, c: Certification): string {
  return `specthis: ${entry.name} needs a spec audit: ${c.detail}. Check the entry against ${entry.specFile}:${entry.line} (does the code still satisfy its contract?), then re-certify: ${recertify(entry.name)}`;
}

export function unboundMessage(model: WorkspaceModel, entry: Entry): string {
  const lock = lockFileRel(model.options.specsDir);
  if (model.options.requireCertified) {
    return `specthis: ${entry.name} was never certified (no record in ${lock}) and the plugin option "requireCertified" is true, so it does not run; check its script against ${entry.specFile}:${entry.line}, then certify it: ${recertify(entry.name)}`;
  }
  return `specthis: ${entry.name} was never certified (no record in ${lock}); it runs anyway. Once its script is checked against ${entry.specFile}:${entry.line}, certify it: ${recertify(entry.name)}. (With "requireCertified": true in the plugin's options it would not run.)`;
}
