import type { Tree } from '@nx/devkit';
import { registeredSpecsDir as registeredIn, registerPlugin as registerIn } from '../core/scaffold/nx-json';
import { treeFiles } from './tree-files';

/**
 * Tree-facing wrappers over core/scaffold/nx-json.ts, which the CLI shares.
 * Not `addPlugin`: see that module and docs/decisions.md.
 */
export { DEFAULT_SPECS_DIR, PLUGIN_NAME } from '../core/scaffold/nx-json';

/** `specsDir` of the first registration of the plugin in nx.json, if it is registered. */
export function registeredSpecsDir(tree: Tree): string | undefined {
  return registeredIn(treeFiles(tree));
}

/** Registers the plugin unless it already is, creating nx.json if needed; returns whether nx.json changed. */
export function registerPlugin(tree: Tree, specsDir: string): boolean {
  return registerIn(treeFiles(tree), specsDir, true) === 'registered';
}
