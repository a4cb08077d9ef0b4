import { posix } from 'node:path';
import type { TexInput } from './document';

/** Extensions `\includegraphics{fig}` tries when the path has none (pdfLaTeX and latex drivers together). */
export const GRAPHIC_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.eps'];

/**
 * The workspace-relative files an `\input`/`\include`/`\includegraphics` may
 * load, most likely first. Paths are relative to the host document's directory
 * (where LaTeX runs); `\input{x}` reads `x.tex` (or `x` as given), `\include`
 * always adds `.tex`, and a graphic without an extension may be any of
 * GRAPHIC_EXTENSIONS, first as given and then under each `\graphicspath`
 * directory. Absolute paths and paths that leave the workspace give none.
 */
export function candidateFiles(hostDoc: string, input: Pick<TexInput, 'command' | 'path' | 'graphicsPaths'>): string[] {
  const raw = input.path.replace(/^"(.*)"$/, '$1');
  if (!raw || isAbsolute(raw)) return [];
  const here = posix.dirname(hostDoc);
  if (input.command !== 'includegraphics') {
    const path = inside(posix.join(here, raw));
    if (!path) return [];
    if (input.command === 'include') return [`${path}.tex`];
    return posix.extname(path).toLowerCase() === '.tex' ? [path] : [`${path}.tex`, path];
  }
  // The path as given, then under each \graphicspath directory, as LaTeX tries them.
  const dirs = ['', ...(input.graphicsPaths ?? []).filter((d) => !isAbsolute(d))];
  const paths = dirs.map((d) => inside(posix.join(here, d, raw))).filter((p): p is string => p !== undefined);
  return [
    ...new Set(
      paths.flatMap((p) => (GRAPHIC_EXTENSIONS.includes(posix.extname(p).toLowerCase()) ? [p] : GRAPHIC_EXTENSIONS.map((e) => `${p}${e}`))),
    ),
  ];
}

const isAbsolute = (path: string) => path.startsWith('/') || /^[A-Za-z]:/.test(path);

/** The normalized workspace path, or undefined when it leaves the workspace. */
function inside(joined: string): string | undefined {
  const path = posix.normalize(joined);
  return path === '..' || path.startsWith('../') ? undefined : path;
}

/** The candidate that exists, else the most likely one: what `_routing.json` shows as the resolved file. */
export function resolvedFile(candidates: readonly string[], exists: (path: string) => boolean): string | null {
  return candidates.find(exists) ?? candidates[0] ?? null;
}

/** The file an input of `hostDoc` loads (resolvedFile) and whether it exists: what `_routing.json` and the paper view show. */
export function resolveInput(
  hostDoc: string,
  input: Pick<TexInput, 'command' | 'path' | 'graphicsPaths'>,
  exists: (path: string) => boolean,
): { file: string | null; exists: boolean } {
  const file = resolvedFile(candidateFiles(hostDoc, input), exists);
  return { file, exists: file !== null && exists(file) };
}
