/**
 * A layered layout of the spec graph (Sugiyama, the simple parts): cycles
 * broken by a depth-first search in index order, layers by longest path from
 * the sources, order within a layer by a few barycenter sweeps. Nodes are
 * indices (spec order: by file), so the same graph always gets the same
 * picture. Linear in nodes and edges apart from the per-layer sorts.
 */
export interface DagLayout {
  /** Layer (column) and position (row) of each node. */
  layer: number[];
  order: number[];
  layers: number[][];
  /** Deduplicated edges, upstream -> downstream; `back` edges close a cycle and were ignored for layering. */
  edges: { from: number; to: number; back: boolean }[];
}

const SWEEPS = 2;

export function layoutDag(count: number, rawEdges: readonly [number, number][]): DagLayout {
  const edges = dedupe(rawEdges, count);
  const out: number[][] = Array.from({ length: count }, () => []);
  for (const [from, to] of edges) out[from].push(to);
  const back = backEdges(count, out);
  const forward = edges.filter(([f, t]) => !back.has(`${f} ${t}`));
  const layer = longestPathLayers(count, forward);
  const layers: number[][] = [];
  for (let v = 0; v < count; v++) (layers[layer[v]] ??= []).push(v);
  const order = new Array<number>(count).fill(0);
  const place = () => layers.forEach((l) => l.forEach((v, i) => (order[v] = i)));
  place();
  const preds: number[][] = Array.from({ length: count }, () => []);
  const succs: number[][] = Array.from({ length: count }, () => []);
  for (const [f, t] of forward) {
    preds[t].push(f);
    succs[f].push(t);
  }
  for (let s = 0; s < SWEEPS; s++) {
    for (let l = 1; l < layers.length; l++) {
      sortByBarycenter(layers[l], preds, order);
      place();
    }
    for (let l = layers.length - 2; l >= 0; l--) {
      sortByBarycenter(layers[l], succs, order);
      place();
    }
  }
  return { layer, order, layers, edges: edges.map(([from, to]) => ({ from, to, back: back.has(`${from} ${to}`) })) };
}

function dedupe(edges: readonly [number, number][], count: number): [number, number][] {
  const seen = new Set<string>();
  const kept: [number, number][] = [];
  for (const [f, t] of edges) {
    if (f === t || f < 0 || t < 0 || f >= count || t >= count || seen.has(`${f} ${t}`)) continue;
    seen.add(`${f} ${t}`);
    kept.push([f, t]);
  }
  return kept.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Edges into a node still on the DFS stack; iterative, so a 1,000-deep chain does not overflow. */
function backEdges(count: number, out: number[][]): Set<string> {
  const state = new Uint8Array(count); // 0 new, 1 on stack, 2 done
  const back = new Set<string>();
  for (let root = 0; root < count; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i === out[v].length) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const w = out[v][i];
      if (state[w] === 1) back.add(`${v} ${w}`);
      else if (state[w] === 0) {
        state[w] = 1;
        stack.push([w, 0]);
      }
    }
  }
  return back;
}

/** Layer = length of the longest path from a source (Kahn's order over an acyclic edge set). */
function longestPathLayers(count: number, edges: [number, number][]): number[] {
  const layer = new Array<number>(count).fill(0);
  const indegree = new Array<number>(count).fill(0);
  const out: number[][] = Array.from({ length: count }, () => []);
  for (const [f, t] of edges) {
    out[f].push(t);
    indegree[t]++;
  }
  const queue: number[] = [];
  for (let v = 0; v < count; v++) if (!indegree[v]) queue.push(v);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const w of out[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--indegree[w] === 0) queue.push(w);
    }
  }
  return layer;
}

/** Stable: nodes without neighbours on the fixed side keep their place. */
function sortByBarycenter(nodes: number[], neighbours: number[][], order: number[]): void {
  const key = new Map<number, number>();
  for (const v of nodes) {
    const ns = neighbours[v];
    key.set(v, ns.length ? ns.reduce((sum, n) => sum + order[n], 0) / ns.length : order[v]);
  }
  nodes.sort((a, b) => key.get(a)! - key.get(b)! || order[a] - order[b]);
}
