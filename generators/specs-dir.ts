import type { Tree } from '@nx/devkit';
import { DEFAULT_SPECS_DIR, registeredSpecsDir } from '../core/scaffold/nx-json';
import { canonicalSpecsDir } from '../core/workspace/options';
import { treeFiles } from './tree-files';
import { refuse } from './validate';

/**
 * The specs directory a generator works in: the `--specsDir` given, checked
 * as nx.json's is (core/workspace/options.ts: `.` and `""` are the root), else
 * the registered one, else `specs`.
 */
export function generatorSpecsDir(tree: Tree, given: string | undefined): string {
  if (given === undefined) return registeredSpecsDir(treeFiles(tree)) ?? DEFAULT_SPECS_DIR;
  return checkedSpecsDir(given);
}

/** A `--specsDir` value in its canonical form, or a refusal naming the right form. */
export function checkedSpecsDir(value: string): string {
  const canonical = canonicalSpecsDir(value);
  if (canonical === undefined) {
    refuse(
      'invalid specsDir: use a relative POSIX path inside the workspace, without `..`, backslashes or whitespace',
      'option-path',
      'specs',
      value,
    );
  }
  return canonical;
}
