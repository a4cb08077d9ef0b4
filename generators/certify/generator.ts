import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { planCertification, type CertifyPlan } from '../../core/lock/certify';
import { LockFileError } from '../../core/lock/errors';
import { clearCertifications, planClear, recordCertifications, unknownRecordsReason } from '../../core/lock/record';
import { readLock } from '../../core/lock/store';
import { lockFileRel, type Lock } from '../../core/lock/types';
import { formatDiagnostic } from '../../core/diagnostics/diagnostic';
import { loadWorkspace } from '../../core/workspace/load';
import type { WorkspaceModel } from '../../core/workspace/types';
import { generatorSpecsDir } from '../specs-dir';
import { refuse, splitList } from '../validate';
import { logPlan, refusalText } from './report';
import type { CertifyGeneratorSchema } from './schema';

/**
 * `nx g @specthis/nx:certify`. The lock is never written through the Tree: the
 * Tree would write it non-atomically and outside the lock-file lock, losing a
 * concurrent certification. The generator only plans and logs; the write is the
 * callback it returns, which Nx runs after flushing the Tree and only when this is
 * not a dry run (nx 24.0.6, src/command-line/generate/generate.js). Specs are read
 * from disk at `tree.root`: certification vouches for the committed files, and
 * this generator changes none.
 */
export async function certifyGenerator(tree: Tree, schema: CertifyGeneratorSchema): Promise<GeneratorCallback | undefined> {
  const names = splitList(schema.entries);
  checkOptions(schema, names);
  const specsDir = generatorSpecsDir(tree, schema.specsDir);
  const model = loadWorkspace(tree.root, { specsDir });
  const lock = currentLock(tree.root, specsDir);
  return schema.clear ? clear(tree.root, model, lock, schema.all ? 'all' : names) : certify(tree.root, model, lock, names, schema);
}

function certify(
  root: string,
  model: WorkspaceModel,
  lock: Lock,
  names: string[],
  schema: CertifyGeneratorSchema,
): GeneratorCallback | undefined {
  const plan = planCertification(root, model, lock, { entries: names, allReady: schema.allReady, author: schema.author });
  refuseIfAny(plan);
  logPlan(plan, lockFileRel(model.options.specsDir));
  if (!plan.records.length) return undefined;
  return () => {
    recordCertifications(root, model.options.specsDir, plan.records);
    logger.info(`Wrote ${lockFileRel(model.options.specsDir)}: certified ${plan.records.map((r) => r.entry).join(', ')}.`);
  };
}

function clear(root: string, model: WorkspaceModel, lock: Lock, names: string[] | 'all'): GeneratorCallback | undefined {
  const file = lockFileRel(model.options.specsDir);
  const { clearing, noRecord, unknown } = planClear(lock, (n) => model.entries.has(n), names);
  if (unknown.length) {
    refuse(
      unknownRecordsReason(unknown, model.options.specsDir, file),
      'certify-unknown-entry',
      `an entry name from ${file}, e.g. ${Object.keys(lock).sort()[0] ?? 'fit-baseline'}`,
      unknown.join(','),
    );
  }
  for (const n of noRecord) logger.info(`${n} has no record in ${file}; nothing to clear.`);
  if (!clearing.length) {
    logger.info(`Nothing to clear in ${file}.`);
    return undefined;
  }
  logger.info(`Clear the records of ${clearing.join(', ')} from ${file} (they read \`unbound\` until certified again).`);
  return () => {
    const { cleared } = clearCertifications(root, model.options.specsDir, names);
    logger.info(`Wrote ${file}: cleared ${cleared.length ? cleared.join(', ') : 'nothing (already gone)'}.`);
  };
}

function checkOptions(schema: CertifyGeneratorSchema, names: string[]): void {
  const example = 'nx g @specthis/nx:certify mincer-baseline (or --all-ready, or mincer-baseline --clear, or --clear --all)';
  const given = JSON.stringify({ entries: schema.entries, allReady: schema.allReady, clear: schema.clear, all: schema.all });
  if (schema.all && !schema.clear)
    refuse('--all goes with --clear; to certify every ready entry use --all-ready', 'certify-options', example, given);
  if (schema.allReady && schema.clear)
    refuse('--all-ready certifies; --clear removes records: pick one', 'certify-options', example, given);
  if (names.length && (schema.allReady || schema.all))
    refuse('name entries, or use --all-ready / --clear --all, not both', 'certify-options', example, given);
  if (!names.length && !schema.allReady && !schema.all)
    refuse('name the entries to certify (comma-separated), or use --all-ready', 'certify-options', example, given);
}

function currentLock(root: string, specsDir: string): Lock {
  try {
    return readLock(root, specsDir);
  } catch (error) {
    // Refused rather than read as empty: writing would drop everyone else's records.
    if (error instanceof LockFileError)
      throw new Error(
        `${error.message}\nFix the lock file first (or restore it from git); certify writes nothing to a lock it cannot read.`,
        { cause: error },
      );
    throw error;
  }
}

function refuseIfAny(plan: CertifyPlan): void {
  if (!plan.refused.length) return;
  for (const spec of new Set(plan.refused.map((r) => r.blockedSpec).filter((s) => s !== undefined))) {
    for (const d of spec.diagnostics) (d.severity === 'error' ? logger.error : logger.warn)(formatDiagnostic(d));
  }
  const n = plan.refused.length;
  throw new Error(
    `Certified nothing: ${n} of the named entries cannot be certified [certify-refused]\n${plan.refused.map(refusalText).join('\n')}`,
  );
}

export default certifyGenerator;
