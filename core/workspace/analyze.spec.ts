import { parseSpec } from '../spec/parse';
import { analyzeWorkspace } from './analyze';
import { DEFAULT_OPTIONS } from './types';

/** Builds a spec file under `specs/` from front matter lines and entry blocks. */
function spec(specPath: string, kind: string, opts: { dependsOn?: string[]; entries?: string[]; reads?: Record<string, string[]> } = {}) {
  const stem = specPath.replace(/^.*\//, '').replace(/\.md$/, '');
  const family = kind === 'compute' ? 'compute' : 'export';
  const blocks = (opts.entries ?? []).map((name) =>
    family === 'compute'
      ? `### ${name}\n- Script: \`scripts/${name}.py\`\n- Output: \`results/${stem}-${name}/out.json\`\n- Status: script ready\n`
      : `### ${name}\n- Export script: \`scripts/${name}.py\`\n- Export outputs: \`reports/tables/${name}.tex\`\n${opts.reads?.[name] ? `- Reads: ${opts.reads[name].join(', ')}\n` : ''}- Status: script ready\n`,
  );
  const text = `---\nname: ${stem}\nkind: ${kind}\ndepends_on: [${(opts.dependsOn ?? []).join(', ')}]\n---\n\n## Entries\n\n${blocks.join('\n')}`;
  return parseSpec(`specs/${specPath}`, specPath, Buffer.from(text));
}

const rules = (model: ReturnType<typeof analyzeWorkspace>, file: string) =>
  model.specs.find((s) => s.file === file)!.diagnostics.map((d) => d.rule);

describe('analyzeWorkspace', () => {
  it('resolves upstream compute entries from depends_on, and Reads: narrows them', () => {
    const model = analyzeWorkspace(
      [
        spec('data/clean.md', 'compute', { entries: ['clean'] }),
        spec('models/fit.md', 'compute', { dependsOn: ['data/clean.md'], entries: ['fit-a', 'fit-b'] }),
        spec('paper/table.md', 'report', { dependsOn: ['models/fit.md'], entries: ['table'], reads: { table: ['fit-b'] } }),
      ],
      DEFAULT_OPTIONS,
    );
    expect(model.upstream.get('fit-a')).toEqual({ entries: ['clean'], blockedSpecs: [] });
    expect(model.upstream.get('table')).toEqual({ entries: ['fit-b'], blockedSpecs: [] });
    expect(model.blocked.size).toBe(0);
    expect(model.outputRoots.get('fit-a')).toEqual(['results/fit-fit-a']);
  });

  it('blocks every spec that declares a duplicated entry name, naming the other place', () => {
    const model = analyzeWorkspace(
      [spec('a.md', 'compute', { entries: ['fit'] }), spec('b.md', 'compute', { entries: ['fit', 'other'] })],
      DEFAULT_OPTIONS,
    );
    expect(rules(model, 'specs/a.md')).toEqual(['entry-duplicate']);
    expect(model.specs[0].diagnostics[0].reason).toContain('specs/b.md:');
    expect([...model.blocked].sort()).toEqual(['specs/a.md', 'specs/b.md']);
    expect(model.entries.has('other')).toBe(false);
  });

  it('reports each spec of a depends_on cycle and keeps the others', () => {
    const model = analyzeWorkspace(
      [
        spec('a.md', 'compute', { dependsOn: ['b.md'], entries: ['a'] }),
        spec('b.md', 'compute', { dependsOn: ['a.md'], entries: ['b'] }),
        spec('c.md', 'compute', { dependsOn: ['a.md'], entries: ['c'] }),
        spec('d.md', 'compute', { entries: ['d'] }),
      ],
      DEFAULT_OPTIONS,
    );
    expect(rules(model, 'specs/a.md')).toEqual(['depends-on-cycle']);
    expect(rules(model, 'specs/b.md')).toEqual(['depends-on-cycle']);
    expect(model.specs[0].diagnostics[0].reason).toBe('depends_on forms a cycle: a.md -> b.md -> a.md');
    // c depends on a blocked spec: it keeps its target and waits on a's diagnostics.
    expect(model.upstream.get('c')).toEqual({ entries: [], blockedSpecs: ['specs/a.md'] });
    expect(model.entries.has('d')).toBe(true);
  });

  it('reports a self-dependency as a cycle', () => {
    const model = analyzeWorkspace([spec('a.md', 'compute', { dependsOn: ['a.md'], entries: ['a'] })], DEFAULT_OPTIONS);
    expect(rules(model, 'specs/a.md')).toEqual(['depends-on-cycle']);
  });

  it('reports depends_on to a missing file with the line and a near match', () => {
    const model = analyzeWorkspace(
      [spec('data/clean.md', 'compute', { entries: ['clean'] }), spec('fit.md', 'compute', { dependsOn: ['clean.md'], entries: ['fit'] })],
      DEFAULT_OPTIONS,
    );
    const d = model.specs.find((s) => s.file === 'specs/fit.md')!.diagnostics[0];
    expect(d).toMatchObject({ rule: 'depends-on-missing', line: 4, received: 'clean.md', expected: 'depends_on: [data/clean.md]' });
    expect(model.blocked.has('specs/data/clean.md')).toBe(false);
  });

  it('suggests the spec path one edit away from a mistyped depends_on', () => {
    const model = analyzeWorkspace(
      [
        spec('compute-clean.md', 'compute', { entries: ['clean'] }),
        spec('fit.md', 'compute', { dependsOn: ['compute-clen.md'], entries: ['fit'] }),
      ],
      DEFAULT_OPTIONS,
    );
    const d = model.specs.find((s) => s.file === 'specs/fit.md')!.diagnostics[0];
    expect(d).toMatchObject({ rule: 'depends-on-missing', received: 'compute-clen.md', expected: 'depends_on: [compute-clean.md]' });
  });

  it('reports Reads: of an entry the depends_on specs do not declare', () => {
    const model = analyzeWorkspace(
      [
        spec('fit.md', 'compute', { entries: ['fit'] }),
        spec('table.md', 'report', { dependsOn: ['fit.md'], entries: ['table'], reads: { table: ['fit', 'nope'] } }),
      ],
      DEFAULT_OPTIONS,
    );
    expect(rules(model, 'specs/table.md')).toEqual(['reads-unknown-entry']);
    expect(model.blocked.has('specs/table.md')).toBe(true);
    expect(model.upstream.has('table')).toBe(false);
  });

  const compute = (blocks: string) =>
    parseSpec('specs/a.md', 'a.md', Buffer.from(`---\nname: a\nkind: compute\n---\n## Entries\n${blocks}`));
  const block = (name: string, output: string, more = '') =>
    `### ${name}\n- Script: s.py\n- Output: ${output}\n${more}- Status: script ready\n`;
  const overlaps = (model: ReturnType<typeof analyzeWorkspace>) =>
    model.specs
      .flatMap((s) => s.diagnostics)
      .filter((d) => d.rule === 'entry-output-overlap')
      .map((d) => `${d.entry}: ${d.reason}`);

  it('refuses two entries sharing a result directory, on both', () => {
    const model = analyzeWorkspace([compute(block('x', 'results/shared/x.json') + block('y', 'results/shared/y.json'))], DEFAULT_OPTIONS);
    expect(overlaps(model)).toEqual([
      'x: the outputs of entry "x" (results/shared) are also the outputs of another entry',
      'y: the outputs of entry "y" (results/shared) are also the outputs of another entry',
    ]);
    expect(model.blocked.has('specs/a.md')).toBe(true);
  });

  it("refuses a result directory that contains another entry's, on both", () => {
    const model = analyzeWorkspace(
      [compute(block('x', 'results/a/x.json') + block('y', 'results/a/b/y.json') + block('z', 'results/z/z.json'))],
      DEFAULT_OPTIONS,
    );
    expect(overlaps(model)).toEqual([
      'x: the outputs of entry "x" (results/a) contain another entry\'s outputs',
      'y: the outputs of entry "y" (results/a/b) sit inside another entry\'s outputs',
    ]);
  });

  it('refuses outputs that hold a file the specs name as an input', () => {
    const model = analyzeWorkspace(
      [compute(block('x', 'results/a/x.json') + block('y', 'results/y/y.json', '- Workflows: `results/a/config.json`\n'))],
      DEFAULT_OPTIONS,
    );
    expect(overlaps(model)).toEqual(['x: the outputs of entry "x" (results/a) hold a file the specs name as an input']);
    const d = model.specs[0].diagnostics.find((x) => x.rule === 'entry-output-overlap')!;
    expect(d.received).toBe('results/a/config.json, a workflow file of y');
  });

  it('owns the result directory of a compute entry, and the files of an export entry', () => {
    const model = analyzeWorkspace([compute(block('x', 'results/a/x.json'))], DEFAULT_OPTIONS);
    expect(model.outputRoots.get('x')).toEqual(['results/a']);
  });
});
