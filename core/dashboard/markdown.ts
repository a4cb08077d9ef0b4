import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { rehypeSpecLinks } from './hast-links';
import type { LinkContext } from './links';
import { remarkHtmlAsText } from './raw-html';

/**
 * Markdown -> safe HTML, the GitHub way: remark-parse with GFM, to hast,
 * rehype-sanitize with its default schema (GitHub's: no script, no event
 * handlers, no javascript:/data: URLs, no iframe/object/embed/svg), then our
 * link rewriting on the already-safe tree. Raw HTML is shown as text
 * (raw-html.ts). The processor is built once and frozen. The page runs this
 * in the browser (markdown-browser.ts); the tests run it in Node.
 */
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkHtmlAsText)
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(rehypeSpecLinks)
  .use(rehypeStringify)
  .freeze();

/** One spec body as safe HTML, its links resolved in `ctx`. */
export function renderMarkdown(markdown: string, ctx: LinkContext): string {
  return String(processor.processSync({ value: markdown, data: { linkContext: ctx } }));
}
