import { matchGlobPaths } from 'nx/src/native';
import type { WorkspaceModel } from '../core/workspace/types';
import { dependsOnItems, upstreamOutputInputs } from './upstream';

/** Just what upstreamOutputInputs reads: each entry's declared outputs and its output roots. */
function model(entries: Record<string, { outputs: string[]; roots: string[] }>): WorkspaceModel {
  return {
    entries: new Map(Object.entries(entries).map(([name, e]) => [name, { name, outputs: e.outputs }])),
    outputRoots: new Map(Object.entries(entries).map(([name, e]) => [name, e.roots])),
  } as unknown as WorkspaceModel;
}

const globs = (inputs: ReturnType<typeof upstreamOutputInputs>) =>
  inputs.map((i) => (i as { dependentTasksOutputFiles: string }).dependentTasksOutputFiles);

describe('upstreamOutputInputs', () => {
  it('keeps a single root as the glob it always was: the directory below, or the exact file', () => {
    const m = model({
      a: { outputs: ['results/a/out.json'], roots: ['results/a'] },
      t: { outputs: ['reports/t.tex'], roots: ['reports/t.tex'] },
    });
    expect(upstreamOutputInputs(m, ['a'])).toEqual([{ dependentTasksOutputFiles: 'results/a/**/*', transitive: false }]);
    expect(upstreamOutputInputs(m, ['t'])).toEqual([{ dependentTasksOutputFiles: 'reports/t.tex', transitive: false }]);
    expect(upstreamOutputInputs(m, [])).toEqual([]);
  });

  it('puts every root in one brace group, directories and files grouped by parent, sorted and deduplicated', () => {
    const m = model({
      b: { outputs: ['results/b/x.json'], roots: ['results/b'] },
      a: { outputs: ['results/a/x.json', 'results/shared.csv'], roots: ['results/a', 'results/shared.csv'] },
      t: { outputs: ['reports/tables/t.tex', 'reports/tables/t.dat'], roots: ['reports/tables/t.dat', 'reports/tables/t.tex'] },
      top: { outputs: ['out/x.json'], roots: ['out'] },
      again: { outputs: ['results/shared.csv'], roots: ['results/shared.csv'] },
    });
    expect(globs(upstreamOutputInputs(m, ['t', 'b', 'a', 'top', 'again']))).toEqual([
      '{out/**/*,reports/tables/{t.dat,t.tex},results/shared.csv,results/{a,b}/**/*}',
    ]);
  });

  it('gives a path with glob syntax or a comma an input of its own, exactly as before', () => {
    const m = model({
      a: { outputs: ['results/a,b/x.json'], roots: ['results/a,b'] },
      c: { outputs: ['results/c/x.json'], roots: ['results/c'] },
      d: { outputs: ['results/[d].json'], roots: ['results/[d].json'] },
    });
    expect(globs(upstreamOutputInputs(m, ['a', 'c', 'd']))).toEqual(['results/c/**/*', 'results/[d].json', 'results/a,b/**/*']);
  });

  it("selects, with Nx's own matcher, exactly the files the one-input-per-root form did, and never a receipt", () => {
    const entries: Record<string, { outputs: string[]; roots: string[] }> = {};
    for (let i = 0; i < 12; i++) {
      const dir = i % 3 === 0 ? `results/m${i}` : `results/area-${i % 2}/m${i}`;
      entries[`e${i}`] =
        i % 4 === 0 ? { outputs: [`${dir}.json`], roots: [`${dir}.json`] } : { outputs: [`${dir}/out.json`], roots: [dir] };
    }
    const m = model(entries);
    const names = Object.keys(entries);
    const oldGlobs = names.flatMap((u) => entries[u].roots.map((r) => (entries[u].outputs.includes(r) ? r : `${r}/**/*`)));
    const candidates = names.flatMap((u) => [
      ...entries[u].roots.flatMap((r) => [r, `${r}/x.json`, `${r}/deep/y.csv`, `${r}x`, `${r}.bak`]),
      `.specthis/receipts/${u}.json`,
    ]);
    const selected = (g: string[]) => candidates.filter((_, i) => matchGlobPaths(g, candidates)[i]);
    const now = globs(upstreamOutputInputs(m, names));
    expect(now).toHaveLength(1);
    expect(selected(now)).toEqual(selected(oldGlobs));
    expect(selected(now).length).toBeGreaterThan(names.length);
    expect(selected(now).filter((p) => p.startsWith('.specthis/'))).toEqual([]);
  });
});

describe('dependsOnItems', () => {
  it("names a target of the entry's own project bare and another project's as project:target, sorted and deduplicated", () => {
    const items = dependsOnItems('specs-models', [
      { project: 'specs-models', target: 'compute--b' },
      { project: 'specs-data', target: 'compute--clean' },
      { project: 'specs-models', target: 'compute--a' },
      { project: 'specs-models', target: 'compute--a' },
    ]);
    expect(items).toEqual(['compute--a', 'compute--b', 'specs-data:compute--clean']);
  });

  it('keeps the object form where a string would be ambiguous: a colon in a name, or a project starting with ^', () => {
    const items = dependsOnItems('specs', [
      { project: 'specs-a:b', target: 'compute--x' },
      { project: 'specs', target: 'invalid--odd:stem' },
      { project: '^odd', target: 'compute--y' },
      { project: 'specs-c', target: 'compute--z' },
    ]);
    expect(items).toEqual([
      'specs-c:compute--z',
      { projects: ['^odd'], target: 'compute--y' },
      { projects: ['specs'], target: 'invalid--odd:stem' },
      { projects: ['specs-a:b'], target: 'compute--x' },
    ]);
  });
});
