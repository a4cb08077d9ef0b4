/**
 * Workspace-relative POSIX paths as the results cache accepts them: in roots
 * the caller names, in manifests and in archive members alike. One rule set, so
 * what a push writes is exactly what a fetch accepts.
 */

/** Why `path` is not a plain relative path, or undefined when it is. */
export function relativePathProblem(path: string): string | undefined {
  if (path === '') return 'empty path';
  if (path.includes('\0')) return 'NUL in path';
  if (path.includes('\\')) return 'backslash in path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  const segments = path.split('/');
  if (segments.includes('..')) return '".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'empty or "." segment';
  return undefined;
}

/** True when `path` is one of `roots` or lies beneath one. */
export function insideRoots(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}/`));
}

/** Why a list of owned output roots cannot be archived or restored, or undefined. */
export function rootsProblem(roots: readonly string[]): string | undefined {
  if (roots.length === 0) return 'the entry owns no output paths';
  for (const r of roots) {
    const problem = relativePathProblem(r);
    if (problem) return `output root ${JSON.stringify(r)}: ${problem}`;
    if (r === '.specthis' || r.startsWith('.specthis/')) return `output root ${r} lies in .specthis/, the plugin's own folder`;
    const nested = roots.find((o) => o !== r && r.startsWith(`${o}/`));
    if (nested) return `output root ${r} lies inside output root ${nested}`;
  }
  if (new Set(roots).size !== roots.length) return 'an output root is listed twice';
  return undefined;
}

/** Code-unit order, the same on every machine and locale (as core/receipts/outputs.ts byPath). */
export { byPath } from '../receipts/outputs';
