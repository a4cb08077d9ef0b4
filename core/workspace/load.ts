import { join } from 'node:path';
import { fastGlob } from '../fs/glob';
import { outsideWorkspace } from '../fs/inside';
import { derivedFrom, globFiles, readBytes, statFile } from '../fs/read';
import { MAX_SPEC_BYTES, tooLarge } from '../spec/decode';
import { emptySpec, parseSpec } from '../spec/parse';
import { diagnostic } from '../diagnostics/diagnostic';
import type { Diagnostic, Spec } from '../spec/types';
import { analyzeWorkspace } from './analyze';
import { isSpecFile, normalizeOptions, specPathOf } from './options';
import type { SpecthisOptions, WorkspaceModel } from './types';

export { isSpecFile, normalizeOptions };

/** Reads one spec from disk; oversized files, and links that lead out of the workspace, are refused before they are read. */
export function readSpec(root: string, file: string, specsDir: string): Spec {
  const specPath = specPathOf(file, specsDir);
  const unreadable = (d: Diagnostic): Spec => emptySpec(file, specPath, [d]);
  const real = outsideWorkspace(root, file);
  if (real !== undefined) return unreadable(specOutside(file, real));
  try {
    const stat = statFile(join(root, file));
    if (stat.kind === 'absent') throw new Error(`${file} no longer exists`);
    if (stat.size > MAX_SPEC_BYTES) return unreadable(tooLarge(file, stat.size));
    const bytes = readBytes(join(root, file));
    return derivedFrom(bytes, `spec ${file} ${specPath}`, () => parseSpec(file, specPath, bytes));
  } catch (e) {
    // Deleted or made unreadable between listing and reading (an editor saving, a git checkout).
    return unreadable(
      diagnostic('spec', file, {
        reason: `spec could not be read: ${(e as Error).message}`,
        rule: 'spec-unreadable',
        expected: 'a readable Markdown file',
      }),
    );
  }
}

export function listSpecFiles(root: string, specsDir: string): string[] {
  const pattern = specsDir === '.' ? '**/*.md' : `${fastGlob().escapePath(specsDir)}/**/*.md`;
  return globFiles(pattern, root, { dot: false, ignore: ['**/node_modules/**'], caseSensitiveMatch: false })
    .filter((f) => isSpecFile(f, specsDir))
    .sort();
}

/**
 * The whole workspace, read from disk. Used outside Nx (executors, CLI); the
 * plugin caches parses instead. `reuse` may answer for a spec with a parse of
 * its current content (the run executor passes the plugin's parse cache,
 * plugin/cached-specs.ts); the others are read and parsed.
 */
export function loadWorkspace(
  root: string,
  rawOptions?: Partial<SpecthisOptions>,
  reuse?: (file: string) => Spec | undefined,
): WorkspaceModel {
  const options = normalizeOptions(rawOptions);
  const specs = listSpecFiles(root, options.specsDir).map((f) => reuse?.(f) ?? readSpec(root, f, options.specsDir));
  return analyzeWorkspace(specs, options);
}

/** A spec that is a link resolving outside the workspace: named with both paths, never read. */
export function specOutside(file: string, real: string): Diagnostic {
  return diagnostic('spec', file, {
    reason: `spec ${file} is a link to ${real}, outside the workspace; it is not read`,
    rule: 'spec-outside-workspace',
    expected: 'a spec file inside the workspace (copy the file in instead of linking to it)',
    received: real,
  });
}
