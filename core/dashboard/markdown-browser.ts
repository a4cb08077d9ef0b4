import type { LinkContext } from './links';
import { renderMarkdown } from './markdown';

/**
 * The page's Markdown renderer: scripts/bundle-markdown.js bundles this file,
 * with the same remark -> rehype-sanitize pipeline the tests run in Node, into
 * the page's inline script. A spec body is rendered when its page is first
 * opened: rendering all of them up front cost a cold build seconds per
 * thousand specs, for pages most readers never open.
 */
export function createRenderer(
  specs: readonly { file: string; path: string }[],
  specsDir: string,
): (markdown: string, specFile: string) => string {
  const links: Omit<LinkContext, 'specFile'> = {
    specFiles: new Set(specs.map((s) => s.file)),
    bySpecPath: new Map(specs.map((s) => [s.path, s.file])),
    specsDir,
  };
  return (markdown, specFile) => renderMarkdown(markdown, { ...links, specFile });
}
