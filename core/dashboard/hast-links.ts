import type { Element, ElementContent, Parent, Root } from 'hast';
import { pageRelative, resolveLink, specNamedBy, specRoute, type LinkContext } from './links';

/**
 * Runs after the sanitizer, on HTML that is already safe, and only rewrites
 * link targets: links to other specs become in-page routes, links to other
 * workspace files carry their path in `data-path` (the page turns it into a
 * link relative to itself, or a server URL), images become links (the page's
 * CSP loads no image but data: URLs), and inline code that names a spec
 * links to it. Nothing here adds markup from the spec's text.
 */
export function rehypeSpecLinks() {
  return (tree: Root, file: { data: Record<string, unknown> }) => {
    const ctx = file.data.linkContext as LinkContext | undefined;
    if (ctx) walk(tree, ctx, false);
  };
}

function walk(parent: Parent, ctx: LinkContext, inLink: boolean): void {
  parent.children = parent.children.map((child) => {
    if (child.type !== 'element') return child;
    if (child.tagName === 'a') rewriteAnchor(child, ctx);
    if (child.tagName === 'img') return imageAsLink(child, ctx);
    if (child.tagName === 'code' && !inLink && parent.type === 'element' && (parent as Element).tagName !== 'pre') {
      const target = specNamedBy(textOf(child), ctx);
      if (target) return { type: 'element', tagName: 'a', properties: { href: specRoute(target) }, children: [child] };
    }
    walk(child, ctx, inLink || child.tagName === 'a');
    return child;
  }) as typeof parent.children;
}

function rewriteAnchor(a: Element, ctx: LinkContext): void {
  const href = a.properties.href;
  if (typeof href !== 'string') return;
  const target = resolveLink(href, ctx);
  if ('route' in target) a.properties.href = target.route;
  else if ('path' in target) setPath(a, target.path, ctx);
  else if ('drop' in target) delete a.properties.href;
  else if (!href.startsWith('#')) a.properties.rel = ['noopener', 'noreferrer'];
}

function imageAsLink(img: Element, ctx: LinkContext): ElementContent {
  const src = typeof img.properties.src === 'string' ? img.properties.src : '';
  const alt = typeof img.properties.alt === 'string' && img.properties.alt ? img.properties.alt : src || 'image';
  const a: Element = {
    type: 'element',
    tagName: 'a',
    properties: { href: src, className: ['image-link'] },
    children: [{ type: 'text', value: `[image: ${alt}]` }],
  };
  if (!src) delete a.properties.href;
  else rewriteAnchor(a, ctx);
  return a;
}

function setPath(a: Element, path: string, ctx: LinkContext): void {
  a.properties.href = pageRelative(path, ctx.specsDir);
  a.properties.dataPath = path;
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  return node.type === 'element' ? node.children.map(textOf).join('') : '';
}
