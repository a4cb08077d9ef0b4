import type { Tree } from '@nx/devkit';
import type { ScaffoldFiles } from '../core/scaffold/files';

/** ScaffoldFiles over an Nx Tree: everything stays in the Tree, so `--dry-run` writes nothing. */
export function treeFiles(tree: Tree): ScaffoldFiles {
  return {
    exists: (path) => tree.exists(path),
    read: (path) => (tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined),
    write: (path, content) => tree.write(path, content),
    children: (dir) => tree.children(dir),
  };
}
