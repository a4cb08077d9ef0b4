import type { Spec } from '../core/spec/types';
import type { SpecthisOptions } from '../core/workspace/types';

/**
 * The specs createNodes parsed last, so createDependencies (called next, in the
 * same plugin worker) does not parse them again. Falls back to reading from disk.
 */
let last: { key: string; specs: Spec[] } | undefined;

const keyOf = (root: string, options: SpecthisOptions) => `${root}\0${options.specsDir}`;

export function rememberSpecs(root: string, options: SpecthisOptions, specs: Spec[]): void {
  last = { key: keyOf(root, options), specs };
}

export function recallSpecs(root: string, options: SpecthisOptions): Spec[] {
  if (last?.key === keyOf(root, options)) return last.specs;
  const { listSpecFiles, readSpec } = require('../core/workspace/load') as typeof import('../core/workspace/load');
  return listSpecFiles(root, options.specsDir).map((f) => readSpec(root, f, options.specsDir));
}
