import { posix } from 'node:path';
import type { TexInput } from './document';

/** Extensions `\includegraphics{fig}` tries when the path has none (pdfLaTeX and latex drivers together). */
export const GRAPHIC_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.eps'];

/**
 * The workspace-relative files an `\input`/`\include`/`\includegraphics` may
 * load, most likely first. Paths are relative to the host document's directory
 * (where LaTeX runs); `\input{x}` reads `x.tex` (or `x` as given), `\include`
 * always adds `.tex`, and a graphic without an extension may be any of
 * GRAPHIC_EXTENSIONS. Absolute paths and paths that leave the workspace give none.
 */
export function candidateFiles(hostDoc: string, input: Pick<TexInput, 'command' | 'path'>): string[] {
  const raw = input.path.replace(/^"(.*)"$/, '$1');
  if (!raw || raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return [];
  const path = posix.normalize(posix.join(posix.dirname(hostDoc), raw));
  if (path === '..' || path.startsWith('../')) return [];
  const ext = posix.extname(path).toLowerCase();
  if (input.command === 'include') return [`${path}.tex`];
  if (input.command === 'input') return ext === '.tex' ? [path] : [`${path}.tex`, path];
  return GRAPHIC_EXTENSIONS.includes(ext) ? [path] : GRAPHIC_EXTENSIONS.map((e) => `${path}${e}`);
}

/** The candidate that exists, else the most likely one: what `_routing.json` shows as the resolved file. */
export function resolvedFile(candidates: readonly string[], exists: (path: string) => boolean): string | null {
  return candidates.find(exists) ?? candidates[0] ?? null;
}
