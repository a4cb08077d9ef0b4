import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles, runAudit } from '../audit';
import { planCertification, recordCertifications } from '../lock';
import { loadWorkspace } from '../workspace/load';
import { dataOf, ExampleCopies } from './__fixtures__/workspace';
import { buildDashboard, writeDashboard } from './index';

const copies = new ExampleCopies();
afterAll(() => copies.cleanup());

describe('buildDashboard', () => {
  it('gives the same bytes for the same tree, wherever it is', () => {
    const a = copies.copy();
    const b = copies.copy(a);
    const first = buildDashboard(a);
    expect(buildDashboard(a)).toEqual(first);
    expect(buildDashboard(b)).toEqual(first);
  });

  it('with generated: false, holds only specs.html, the same page', () => {
    const root = copies.copy();
    const live = buildDashboard(root, undefined, { generated: false });
    expect(live.files.map((f) => f.path)).toEqual(['specs/specs.html']);
    expect(live.html).toBe(buildDashboard(root).html);
  });

  it("lists its files, the audit's exact JSON bytes among them, and the declared outputs", () => {
    const root = copies.copy();
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
    const root = copies.copy();
    writeFileSync(
      join(root, 'specs', 'models', 'compute-broken.md'),
      '---\nname: compute-broken\nkind: compute\ndepend_on: []\n---\n\n# Broken\n\n## Entry\n\n### broken-fit\n\n- Script: `scripts/fit_mincer.py`\n- Output: `results/compute-broken-broken-fit/out.json`\n- Status: script ready\n',
    );
    const data = dataOf(buildDashboard(root).html);
    const broken = data.specs.find((s) => s.file === 'specs/models/compute-broken.md')!;
    expect(broken).toMatchObject({ broken: true, state: 'blocked', path: 'models/compute-broken.md' });
    expect(broken.findings).toContainEqual(
      expect.objectContaining({
        file: 'specs/models/compute-broken.md',
        line: 4,
        severity: 'error',
        rule: 'front-matter-unknown-key',
        expected: expect.any(String),
      }),
    );
    expect(broken.markdown).toMatch(/^# Broken$/m);
    const entry = data.entries[broken.entries[0]];
    expect(entry).toMatchObject({ name: 'broken-fit', real: 'blocked', person: true, machine: false, state: 'blocked' });
  });

  it('shows a spec whose front matter is unreadable, and a lock that does not parse as a workspace problem', () => {
    const root = copies.copy();
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
    const root = copies.copy();
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
