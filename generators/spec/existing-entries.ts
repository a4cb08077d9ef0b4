import type { Tree } from '@nx/devkit';
import { parseSpec } from '../../core/spec/parse';
import { inSpecsDir } from '../../core/layout';
import { isSpecFile, specPathOf } from '../../core/workspace/options';

/**
 * Entry names already declared under specsDir, with the spec declaring each.
 * Read through the Tree (not the disk) so specs created earlier in the same
 * generator run count, and parsed by the plugin's own parser so "declared"
 * means the same thing here as in the task graph.
 */
export function existingEntries(tree: Tree, specsDir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of specFiles(tree, specsDir, specsDir)) {
    const spec = parseSpec(file, specPathOf(file, specsDir), tree.read(file) ?? new Uint8Array());
    for (const entry of spec.entries) if (!found.has(entry.name)) found.set(entry.name, file);
  }
  return found;
}

function specFiles(tree: Tree, specsDir: string, dir: string): string[] {
  const files: string[] = [];
  for (const child of [...tree.children(dir)].sort()) {
    const path = inSpecsDir(dir, child);
    if (tree.isFile(path)) {
      if (isSpecFile(path, specsDir)) files.push(path);
    } else if (!child.startsWith('_') && !child.startsWith('.') && child !== 'node_modules') {
      files.push(...specFiles(tree, specsDir, path));
    }
  }
  return files;
}
