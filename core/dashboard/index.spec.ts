import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { findPackageRoot } from '../package';
import { dataOf, ExampleCopies } from './__fixtures__/workspace';
import { MARKDOWN_BUNDLE } from './assets';
import { buildDashboard } from './index';
import { createRenderer } from './markdown-browser';
import type { PageData } from './page-model';

const copies = new ExampleCopies();
afterAll(() => copies.cleanup());

describe('buildDashboard on examples/research', () => {
  let html: string;
  let data: PageData;
  beforeAll(() => {
    html = buildDashboard(copies.copy()).html;
    data = dataOf(html);
  });

  it('holds every entry with both axes and the reasons', () => {
    expect(data.entries.map((e) => e.name).sort()).toEqual(['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table']);
    for (const e of data.entries) {
      expect(e).toMatchObject({ cert: 'unbound', real: 'fresh', person: true, machine: false });
      expect(e.certReason).toMatch(/^unbound: never certified/);
      expect(e.realReason).toMatch(/^fresh: receipt matches inputs/);
    }
    expect(data.summary).toMatchObject({ specs: 4, entries: 4, person: 4, machine: 0 });
    expect(data.legend.person).toMatch(/^needs a person: /);
  });

  it('fills entry cards: script, outputs with keys, workflows, receipt', () => {
    const e = data.entries.find((x) => x.name === 'mincer-baseline')!;
    expect(e.script).toEqual({ path: 'scripts/fit_mincer.py', exists: true });
    expect(e.outputs).toEqual([{ path: 'results/compute-mincer-mincer-baseline/estimates.json', exists: true }]);
    expect(e.keys).toEqual(['coefficients', 'n_obs', 'r_squared']);
    expect(e.outputKeys).toEqual(expect.arrayContaining(['coefficients', 'n_obs', 'r_squared', 'specification']));
    expect(e.workflows).toEqual([{ path: 'config/mincer.json', exists: true }]);
    expect(e.receipt).toMatchObject({
      end: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      durationMs: expect.any(Number),
      command: 'python3 scripts/fit_mincer.py --spec baseline',
    });
    expect(e.lock).toBeNull();
  });

  it('pairs compute and report entries both ways', () => {
    const at = (name: string) => data.entries.findIndex((e) => e.name === name);
    const table = data.entries[at('wage-table')];
    expect(table.reads.map((i) => data.entries[i].name).sort()).toEqual(['mincer-baseline', 'mincer-with-region']);
    expect(data.entries[at('mincer-baseline')].readBy).toEqual([at('wage-table')]);
    expect(data.entries[at('mincer-baseline')].reads).toEqual([at('clean-panel')]);
  });

  it('carries each spec body without its front matter, which the page renders with links to other specs as in-page routes', () => {
    const clean = data.specs.find((s) => s.file === 'specs/data/compute-clean.md')!;
    expect(clean.markdown).toMatch(/^# Clean wage panel$/m);
    expect(clean.markdown).not.toContain('kind: compute');
    // What the page's bundle runs, from nothing but the page's data.
    const html = createRenderer(data.specs, data.specsDir)(clean.markdown!, clean.file);
    expect(html).toContain('<h1>Clean wage panel</h1>');
    expect(html).toContain('<a href="#spec/specs/definitions.md"><code>definitions.md</code></a>');
    expect(clean.dependsOn).toEqual([{ path: 'definitions.md', spec: data.specs.findIndex((s) => s.file === 'specs/definitions.md') }]);
    expect(
      data.specs
        .find((s) => s.file === 'specs/definitions.md')!
        .dependents.map((i) => data.specs[i].stem)
        .sort(),
    ).toEqual(['compute-clean', 'compute-mincer']);
  });

  it('maps \\label{sec:results} of reports/paper.tex to the table the report exports', () => {
    expect(data.paper.map((d) => d.file)).toEqual(['reports/paper.tex']);
    const results = data.paper[0].labels.find((l) => l.name === 'sec:results')!;
    expect(results.section).toMatchObject({ command: 'section', title: 'Results' });
    expect(results.reportSpecs.map((i) => data.specs[i].file)).toEqual(['specs/paper/report-wage-table.md']);
    expect(results.inputs).toEqual([
      {
        command: 'input',
        path: 'tables/mincer',
        line: expect.any(Number),
        file: 'reports/tables/mincer.tex',
        exists: true,
        exportedBy: [data.entries.findIndex((e) => e.name === 'wage-table')],
      },
    ]);
  });

  it('draws the DAG with one edge per depends_on that names a spec', () => {
    const edges = [...html.matchAll(/<path class="edge[^"]*"[^>]*data-from="(\d+)" data-to="(\d+)"/g)].map(
      (m) => `${data.specs[+m[1]].stem}>${data.specs[+m[2]].stem}`,
    );
    expect(edges.sort()).toEqual([
      'compute-clean>compute-mincer',
      'compute-mincer>report-wage-table',
      'definitions>compute-clean',
      'definitions>compute-mincer',
    ]);
    expect(html.match(/<a class="node /g)).toHaveLength(4);
  });

  it('makes no network request: no URL with a host, no @import, no url() but in-page references', () => {
    // The Markdown bundle holds "http://" (GFM prefixes `www.` autolinks with it) and `new URL(`, which are not requests. The CSP and the browser test's request log cover the bundle.
    const bundle = readFileSync(join(findPackageRoot(), MARKDOWN_BUNDLE), 'utf8');
    expect(html).toContain(bundle);
    const page = html.replace(bundle, '');
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/\b(src|href|action|poster|srcset)\s*=\s*["']?\s*\/\//i);
    expect(page).not.toMatch(/@import/i);
    expect(page).not.toMatch(/url\(\s*["']?(?!#)/i);
    expect(page).not.toMatch(/<(link|iframe|object|embed|img|base)\b/i);
    expect(html.match(/<script\b/g)).toHaveLength(2); // the JSON data and the one inline script
  });

  it('allows exactly its one inline script by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toBe(`default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'`);
    expect(() => new Script(script, { filename: 'specs.html' })).not.toThrow(); // the browser code at least parses
  });

  it('embeds the data so that no value can end the script element', () => {
    const json = /<script type="application\/json" id="specthis-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(json).not.toContain('<');
    expect(data.specs.some((s) => s.markdown?.includes('<'))).toBe(true);
  });
});
