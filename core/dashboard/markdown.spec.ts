import { renderMarkdown } from './markdown';
import type { LinkContext } from './links';

const ctx: LinkContext = {
  specFile: 'specs/models/compute-fit.md',
  specFiles: new Set(['specs/models/compute-fit.md', 'specs/models/other.md', 'specs/data/clean.md']),
  bySpecPath: new Map([
    ['models/other.md', 'specs/models/other.md'],
    ['data/clean.md', 'specs/data/clean.md'],
  ]),
  specsDir: 'specs',
};
const render = (md: string) => renderMarkdown(md, ctx);

/** Nothing that a browser would run or load: no script element, no handler attribute, no javascript:/data:/vbscript: URL, no embedding element. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<(iframe|object|embed|svg|math|style|link|meta|base|form)\b/i);
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(href|src|action|formaction|xlink:href)\s*=\s*"\s*(javascript|data|vbscript):/i);
}

describe('spec Markdown', () => {
  it('renders GFM: headings, lists, tables, code, task lists', () => {
    const html = render('# Title\n\n- a\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```py\nprint(1)\n```\n');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<table>');
    expect(html).toContain('<input type="checkbox" checked disabled>');
    expect(html).toContain('<pre><code class="language-py">print(1)\n</code></pre>');
  });

  it.each([
    ['a script element', '<script>alert(1)</script>'],
    ['an inline script', 'text <script>alert(1)</script> more'],
    ['an onerror handler', '<img src=x onerror="alert(1)">'],
    ['an onclick handler', '<a href="#" onclick="alert(1)">x</a>'],
    ['an iframe', '<iframe src="https://example.com"></iframe>'],
    ['an object', '<object data="x.swf"></object>'],
    ['svg with script', '<svg><script>alert(1)</script></svg>'],
    ['svg onload', '<svg onload="alert(1)"></svg>'],
    ['a style element', '<style>body{display:none}</style>'],
  ])('shows %s as text, never as markup', (_, md) => {
    const html = render(md);
    expectInert(html);
    expect(html).toContain('&#x3C;'); // the tag is visible as text
  });

  it.each([
    ['a javascript: link', '[x](javascript:alert(1))'],
    ['an upper-case JavaScript: link', '[x](JavaScript:alert(1))'],
    ['an entity-encoded javascript: link', '[x](&#106;avascript:alert(1))'],
    ['a data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a vbscript: link', '[x](vbscript:msgbox(1))'],
    ['a data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['a javascript: autolink', '<javascript:alert(1)>'],
  ])('drops the URL of %s', (_, md) => {
    const html = render(md);
    expectInert(html);
    expect(html).not.toMatch(/(href|src)="[^"]*(javascript|data|vbscript):/i);
  });

  it('rewrites relative links to other specs into in-page routes', () => {
    expect(render('[other](other.md)')).toContain('<a href="#spec/specs/models/other.md">other</a>');
    expect(render('[clean](../data/clean.md#entry)')).toContain('<a href="#spec/specs/data/clean.md">clean</a>');
    expect(render('[self](./compute-fit.md)')).toContain('href="#spec/specs/models/compute-fit.md"');
  });

  it('links inline code that names a spec, as depends_on writes it or relative to the spec', () => {
    expect(render('Uses `data/clean.md` and `other.md`.')).toBe(
      '<p>Uses <a href="#spec/specs/data/clean.md"><code>data/clean.md</code></a> and <a href="#spec/specs/models/other.md"><code>other.md</code></a>.</p>',
    );
    expect(render('```\ndata/clean.md\n```')).not.toContain('<a');
  });

  it('points links to other workspace files relative to the page, with the path for the server', () => {
    expect(render('[script](../../scripts/fit.py)')).toContain('<a href="../scripts/fit.py" data-path="scripts/fit.py">script</a>');
    expect(render('[out](/results/a b/x.json)')).toBe('<p>[out](/results/a b/x.json)</p>');
    expect(render('[out](</results/a b/x.json>)')).toContain('href="../results/a%20b/x.json" data-path="results/a b/x.json"');
    expect(render('[escape](../../../etc/passwd)')).toBe('<p><a>escape</a></p>');
  });

  it('turns images into links: the page loads no image', () => {
    const html = render('![plot](https://example.com/p.png) ![local](../../reports/fig.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://example.com/p.png" class="image-link" rel="noopener noreferrer">[image: plot]</a>');
    expect(html).toContain('<a href="../reports/fig.png" class="image-link" data-path="reports/fig.png">[image: local]</a>');
  });

  it('keeps external links, and drops HTML comments', () => {
    expect(render('[doi](https://doi.org/10.1/x) <!-- hidden -->')).toBe(
      '<p><a href="https://doi.org/10.1/x" rel="noopener noreferrer">doi</a> </p>',
    );
  });
});
