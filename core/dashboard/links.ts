import { posix } from 'node:path';

/** What a relative link in a spec can point at, resolved once per spec. */
export interface LinkContext {
  /** Workspace-relative path of the spec being rendered. */
  specFile: string;
  /** Workspace-relative spec files of the workspace: links to them become in-page routes. */
  specFiles: ReadonlySet<string>;
  /** Spec files by the path `depends_on` uses (relative to specsDir). */
  bySpecPath: ReadonlyMap<string, string>;
  /** Where the page lives: `<specsDir>/specs.html`. */
  specsDir: string;
}

export type LinkTarget = { route: string } | { path: string } | { external: string } | { drop: true };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The in-page route of a spec page. */
export const specRoute = (file: string) => `#spec/${file}`;

/**
 * Where a link written in a spec goes in the page: another spec becomes its
 * in-page route, another workspace file its workspace-relative path (the page
 * makes it relative to itself, or a server URL), a URL with a scheme stays as
 * it is (the sanitizer already removed unsafe ones), and a path that leaves
 * the workspace goes nowhere.
 */
export function resolveLink(href: string, ctx: LinkContext): LinkTarget {
  if (SCHEME.test(href) || href.startsWith('//')) return { external: href };
  if (href.startsWith('#') || href === '') return { external: href };
  const [pathPart] = href.split(/[?#]/, 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return { drop: true };
  }
  const joined = decoded.startsWith('/') ? decoded.slice(1) : posix.join(posix.dirname(ctx.specFile), decoded);
  const path = posix.normalize(joined);
  if (path === '..' || path.startsWith('../') || path.startsWith('/')) return { drop: true };
  if (ctx.specFiles.has(path)) return { route: specRoute(path) };
  return { path: path === '.' ? '' : path };
}

/** A spec named in inline code (`data/compute-clean.md`), as `depends_on` or relative to the spec: its file, else undefined. */
export function specNamedBy(code: string, ctx: LinkContext): string | undefined {
  if (!/\.md$/i.test(code) || /\s/.test(code) || SCHEME.test(code)) return undefined;
  const relative = posix.normalize(posix.join(posix.dirname(ctx.specFile), code));
  return ctx.specFiles.has(relative) ? relative : ctx.bySpecPath.get(code);
}

/** A workspace-relative path as a link from the page in `<specsDir>/`, for a page opened from disk. */
export function pageRelative(path: string, specsDir: string): string {
  // Rooted, so relative() never asks for a working directory: the page runs this in a browser.
  const rel = specsDir === '.' || specsDir === '' ? path : posix.relative(`/${specsDir}`, `/${path}`);
  return rel.split('/').map(encodeURIComponent).join('/');
}
