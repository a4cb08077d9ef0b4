import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedFiles, runAudit } from '../audit';
import { planCertification, recordCertifications } from '../lock';
import { loadWorkspace } from '../workspace/load';
import { buildDashboard, writeDashboard } from './index';
import type { PageData } from './page-model';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'research');
const roots: string[] = [];

function example(): string {
  const root = mkdtempSync(join(tmpdir(), 'specthis-dashboard-'));
  roots.push(root);
  cpSync(EXAMPLE, root, { recursive: true, filter: (src) => !/[\\/](\.nx|node_modules)$/.test(src) });
  return root;
}

function dataOf(html: string): PageData {
  const json = /<script type="application\/json" id="specthis-data">([\s\S]*?)<\/script>/.exec(html)![1];
  return JSON.parse(json);
}

afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('buildDashboard on examples/research', () => {
  let root: string;
  let html: string;
  let data: PageData;
  beforeAll(() => {
    root = example();
    html = buildDashboard(root).html;
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
    expect(e.receipt).toMatchObject({ end: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), durationMs: expect.any(Number), command: 'python3 scripts/fit_mincer.py --spec baseline' });
    expect(e.lock).toBeNull();
  });

  it('pairs compute and report entries both ways', () => {
    const at = (name: string) => data.entries.findIndex((e) => e.name === name);
    const table = data.entries[at('wage-table')];
    expect(table.reads.map((i) => data.entries[i].name).sort()).toEqual(['mincer-baseline', 'mincer-with-region']);
    expect(data.entries[at('mincer-baseline')].readBy).toEqual([at('wage-table')]);
    expect(data.entries[at('mincer-baseline')].reads).toEqual([at('clean-panel')]);
  });

  it('renders each spec body without its front matter, with links to other specs as in-page routes', () => {
    const clean = data.specs.find((s) => s.file === 'specs/data/compute-clean.md')!;
    expect(clean.html).toContain('<h1>Clean wage panel</h1>');
    expect(clean.html).not.toContain('kind: compute');
    expect(clean.html).toContain('<a href="#spec/specs/definitions.md"><code>definitions.md</code></a>');
    expect(clean.dependsOn).toEqual([{ path: 'definitions.md', spec: data.specs.findIndex((s) => s.file === 'specs/definitions.md') }]);
    expect(data.specs.find((s) => s.file === 'specs/definitions.md')!.dependents.map((i) => data.specs[i].stem).sort()).toEqual(['compute-clean', 'compute-mincer']);
  });

  it('maps \\label{sec:results} of reports/paper.tex to the table the report exports', () => {
    expect(data.paper.map((d) => d.file)).toEqual(['reports/paper.tex']);
    const results = data.paper[0].labels.find((l) => l.name === 'sec:results')!;
    expect(results.section).toMatchObject({ command: 'section', title: 'Results' });
    expect(results.reportSpecs.map((i) => data.specs[i].file)).toEqual(['specs/paper/report-wage-table.md']);
    expect(results.inputs).toEqual([{ command: 'input', path: 'tables/mincer', line: expect.any(Number), file: 'reports/tables/mincer.tex', exists: true, exportedBy: [data.entries.findIndex((e) => e.name === 'wage-table')] }]);
  });

  it('draws the DAG with one edge per depends_on that names a spec', () => {
    const edges = [...html.matchAll(/<path class="edge[^"]*"[^>]*data-from="(\d+)" data-to="(\d+)"/g)].map((m) => `${data.specs[+m[1]].stem}>${data.specs[+m[2]].stem}`);
    expect(edges.sort()).toEqual(['compute-clean>compute-mincer', 'compute-mincer>report-wage-table', 'definitions>compute-clean', 'definitions>compute-mincer']);
    expect(html.match(/<a class="node /g)).toHaveLength(4);
  });

  it('makes no network request: no URL with a host, no @import, no url() but in-page references', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\b(src|href|action|poster|srcset)\s*=\s*["']?\s*\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(\s*["']?(?!#)/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img|base)\b/i);
    expect(html.match(/<script\b/g)).toHaveLength(2); // the JSON data and the one inline script
  });

  it('allows exactly its one inline script by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toBe(`default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'`);
  });

  it('embeds the data so that no value can end the script element', () => {
    const json = /<script type="application\/json" id="specthis-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(json).not.toContain('<');
    expect(data.specs.some((s) => s.html.includes('<'))).toBe(true);
  });
});

describe('buildDashboard', () => {
  it('gives the same bytes for the same tree, wherever it is', () => {
    const a = example();
    const b = example();
    const first = buildDashboard(a);
    expect(buildDashboard(a)).toEqual(first);
    expect(buildDashboard(b)).toEqual(first);
  });

  it('lists its files, the audit\'s exact JSON bytes among them, and the declared outputs', () => {
    const root = example();
    const build = buildDashboard(root);
    expect(build.files.map((f) => f.path)).toEqual(['specs/_index.json', 'specs/_routing.json', 'specs/specs.html']);
    const model = loadWorkspace(root);
    const audit = generatedFiles(root, model, runAudit(root, model));
    expect(build.files[0].text).toBe(audit['specs/_index.json']);
    expect(build.files[1].text).toBe(audit['specs/_routing.json']);
    expect(build.files[2].text).toBe(build.html);
    expect(build.declaredOutputs).toEqual([
      'reports/tables/mincer.tex',
      'results/compute-clean-clean-panel/panel.json',
      'results/compute-mincer-mincer-baseline/estimates.json',
      'results/compute-mincer-mincer-with-region/estimates.json',
    ]);
    expect(writeDashboard(root, build)).toEqual(['specs/_index.json', 'specs/_routing.json', 'specs/specs.html']);
    expect(readFileSync(join(root, 'specs', 'specs.html'), 'utf8')).toBe(build.html);
  });

  it('shows a spec that does not parse, marked, with its diagnostics, and blocks its entries', () => {
    const root = example();
    writeFileSync(join(root, 'specs', 'models', 'compute-broken.md'), '---\nname: compute-broken\nkind: compute\ndepend_on: []\n---\n\n# Broken\n\n## Entry\n\n### broken-fit\n\n- Script: `scripts/fit_mincer.py`\n- Output: `results/compute-broken-broken-fit/out.json`\n- Status: script ready\n');
    const data = dataOf(buildDashboard(root).html);
    const broken = data.specs.find((s) => s.file === 'specs/models/compute-broken.md')!;
    expect(broken).toMatchObject({ broken: true, state: 'blocked', path: 'models/compute-broken.md' });
    expect(broken.findings).toContainEqual(expect.objectContaining({ file: 'specs/models/compute-broken.md', line: 4, severity: 'error', rule: 'front-matter-unknown-key', expected: expect.any(String) }));
    expect(broken.html).toContain('<h1>Broken</h1>');
    const entry = data.entries[broken.entries[0]];
    expect(entry).toMatchObject({ name: 'broken-fit', real: 'blocked', person: true, machine: false, state: 'blocked' });
  });

  it('shows a spec whose front matter is unreadable, and a lock that does not parse as a workspace problem', () => {
    const root = example();
    writeFileSync(join(root, 'specs', 'unclosed.md'), '---\nname: unclosed\nkind: compute\n\n# Never closed\n');
    writeFileSync(join(root, 'specs', '_lock.json'), '{ not json');
    const data = dataOf(buildDashboard(root).html);
    const spec = data.specs.find((s) => s.file === 'specs/unclosed.md')!;
    expect(spec.broken).toBe(true);
    expect(spec.findings[0]).toMatchObject({ line: 1, rule: 'front-matter-unclosed' });
    expect(data.problems).toEqual([expect.objectContaining({ file: 'specs/_lock.json', severity: 'error' })]);
    expect(data.entries.every((e) => e.cert === 'unknown' && e.person)).toBe(true);
  });

  it('shows certification from the lock, and counts an entry whose output went missing as needing a machine', () => {
    const root = example();
    const model = loadWorkspace(root);
    const plan = planCertification(root, model, {}, { entries: ['clean-panel'], author: 'Ada', now: new Date('2026-01-02T03:04:05Z') });
    recordCertifications(root, 'specs', plan.records);
    rmSync(join(root, 'results', 'compute-clean-clean-panel', 'panel.json'));
    const data = dataOf(buildDashboard(root).html);
    const clean = data.entries.find((e) => e.name === 'clean-panel')!;
    expect(clean).toMatchObject({ cert: 'certified', real: 'missing', person: false, machine: true, state: 'missing' });
    expect(clean.lock).toMatchObject({ author: 'Ada', ts: '2026-01-02T03:04:05.000Z' });
    expect(clean.lock!.components.map((c) => c.role)).toEqual(['spec-shared', 'entry-block', 'script', 'workflow', 'workflow']);
    expect(clean.lock!.components[0].sha).toMatch(/^[0-9a-f]{12}$/);
    expect(data.specs.find((s) => s.file === 'specs/data/compute-clean.md')!.counts).toEqual({ entries: 1, person: 0, machine: 1 });
  });
});
