import { createHash } from 'node:crypto';
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
 * (raw-html.ts). The processor is built once and frozen.
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

/**
 * Rendered bodies by text and link context. remark is the slow part of a
 * build (about 4 ms a spec), and a live server re-renders the same unchanged
 * specs again and again; render-cache.ts also keeps them between processes.
 */
const memo = new Map<string, string>();
const MEMO_LIMIT = 20_000;

/** Bump when the pipeline or its plugins change what they produce: cached bodies of another version are ignored. */
export const RENDERER_VERSION = 'specthis-dashboard-markdown/1';

/** Renders, or reuses a body rendered from the same text in the same link context; `used` collects what this build rendered. */
export function renderMarkdown(markdown: string, ctx: LinkContext, contextKey = '', used?: Map<string, string>): string {
  const key = createHash('sha256').update(RENDERER_VERSION).update('\0').update(ctx.specFile).update('\0').update(contextKey).update('\0').update(markdown).digest('hex');
  let html = memo.get(key);
  if (html === undefined) {
    html = String(processor.processSync({ value: markdown, data: { linkContext: ctx } }));
    remember(key, html);
  }
  used?.set(key, html);
  return html;
}

/** Adds bodies rendered earlier (render-cache.ts) to the memo. */
export function rememberRendered(bodies: Iterable<[string, string]>): void {
  for (const [key, html] of bodies) remember(key, html);
}

function remember(key: string, html: string): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, html);
}
