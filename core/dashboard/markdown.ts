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

/** Rendered bodies by text and link context: a live server re-renders the same unchanged specs again and again. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 20_000;

export function renderMarkdown(markdown: string, ctx: LinkContext, contextKey = ''): string {
  const key = createHash('sha256').update(ctx.specFile).update('\0').update(contextKey).update('\0').update(markdown).digest('hex');
  const known = memo.get(key);
  if (known !== undefined) return known;
  const html = String(processor.processSync({ value: markdown, data: { linkContext: ctx } }));
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, html);
  return html;
}

/** The body of a spec: its text without the YAML front matter (shown as a table instead), BOM dropped. */
export function specBody(text: string): string {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!/^---\s*$/.test(lines[0] ?? '')) return lines.join('\n');
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  return close < 0 ? lines.join('\n') : lines.slice(close + 1).join('\n');
}
