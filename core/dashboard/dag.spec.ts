import { layoutDag } from './dag';
import { dagSvg } from './dag-svg';
import type { SpecData } from './page-model';

describe('layoutDag', () => {
  it('puts each node one layer after its deepest upstream node', () => {
    // 0 -> 1 -> 2, 0 -> 2, 3 alone
    const { layer, layers } = layoutDag(4, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    expect(layer).toEqual([0, 1, 2, 0]);
    expect(layers).toEqual([[0, 3], [1], [2]]);
  });

  it('keeps one edge per pair and drops self-loops and edges to unknown nodes', () => {
    const { edges } = layoutDag(3, [
      [1, 2],
      [0, 1],
      [1, 2],
      [2, 2],
      [0, 7],
    ]);
    expect(edges).toEqual([
      { from: 0, to: 1, back: false },
      { from: 1, to: 2, back: false },
    ]);
  });

  it('breaks a cycle at the edge back to an open node, and still lays out every node', () => {
    const { edges, layer } = layoutDag(3, [
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    expect(edges.filter((e) => e.back)).toEqual([{ from: 2, to: 0, back: true }]);
    expect(layer).toEqual([0, 1, 2]);
  });

  it('orders a layer by the barycenter of its upstream nodes', () => {
    // Layer 0: 0, 1. Layer 1: 2 (reads 1), 3 (reads 0): 3 moves above 2.
    const { layers } = layoutDag(4, [
      [1, 2],
      [0, 3],
    ]);
    expect(layers[1]).toEqual([3, 2]);
  });

  it('is deterministic and copes with 1,000 nodes in one chain and a wide fan', () => {
    const chain: [number, number][] = Array.from({ length: 999 }, (_, i) => [i, i + 1]);
    const a = layoutDag(1000, chain);
    expect(a.layer[999]).toBe(999);
    const fan: [number, number][] = [];
    for (let i = 1; i < 1000; i++) fan.push([i % 7, i], [Math.floor(i / 2), i]);
    const started = Date.now();
    const first = layoutDag(1000, fan);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(layoutDag(1000, [...fan].reverse())).toEqual(first);
  });
});

describe('dagSvg', () => {
  const spec = (stem: string, dependsOn: (number | null)[], state: SpecData['state'] = 'fresh'): SpecData => ({
    file: `specs/${stem}.md`,
    path: `${stem}.md`,
    stem,
    title: null,
    name: stem,
    kind: 'compute',
    dependsOn: dependsOn.map((d) => ({ path: d === null ? 'gone.md' : `x${d}.md`, spec: d })),
    dependents: [],
    hostDoc: null,
    sectionLabel: null,
    broken: state === 'blocked',
    findings: [],
    entries: [],
    counts: { entries: 0, person: 0, machine: 0 },
    state,
    markdown: '',
  });

  it('draws a node per spec linking to its page, colored by state, and an edge per depends_on that names a spec', () => {
    const svg = dagSvg([spec('a', []), spec('b<&>', [0, null], 'blocked'), spec('c', [0, 1], 'stale')]);
    expect(svg.match(/<a class="node /g)).toHaveLength(3);
    expect(svg).toContain('<a class="node s-blocked" href="#spec/specs/b&lt;&amp;&gt;.md" data-spec="1">');
    expect(svg).toContain('<text x="');
    expect(svg).toContain('b&lt;&amp;&gt;</text>');
    expect([...svg.matchAll(/data-from="(\d)" data-to="(\d)"/g)].map((m) => `${m[1]}>${m[2]}`)).toEqual(['0>1', '0>2', '1>2']);
  });

  it('shortens long names and keeps the full path in the tooltip', () => {
    const svg = dagSvg([spec('a-very-long-spec-name-that-goes-on-and-on', [])]);
    expect(svg).toContain('>a-very-long-spec-name-tha…</text>');
    expect(svg).toContain('<title>a-very-long-spec-name-that-goes-on-and-on.md — compute, fresh</title>');
  });
});
