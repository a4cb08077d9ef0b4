import type { Parent as MdastParent, Root as MdastRoot, RootContent } from 'mdast';

/**
 * Raw HTML in a spec is shown as the text it is, never parsed as HTML. The
 * sanitizer would drop it whole (hast has no safe way to read raw HTML
 * without a full HTML parser, rehype-raw/parse5, which this package does not
 * carry), and silently losing a spec's words is worse than showing its tags.
 * Comments are dropped: Markdown writers use them to hide notes.
 */
export function remarkHtmlAsText() {
  return (tree: MdastRoot) => {
    rewrite(tree);
  };
}

const COMMENT = /^<!--[\s\S]*-->$/;

function rewrite(parent: MdastParent): void {
  const out: RootContent[] = [];
  for (const child of parent.children) {
    if (child.type !== 'html') {
      if ('children' in child) rewrite(child as MdastParent);
      out.push(child);
      continue;
    }
    const value = child.value;
    if (COMMENT.test(value.trim())) continue;
    // A block of HTML keeps its lines; inline HTML stays inline text.
    out.push(isFlow(parent) ? ({ type: 'code', value } as RootContent) : ({ type: 'text', value } as RootContent));
  }
  parent.children = out as MdastParent['children'];
}

function isFlow(parent: { type: string }): boolean {
  return parent.type === 'root' || parent.type === 'blockquote' || parent.type === 'listItem' || parent.type === 'footnoteDefinition';
}
