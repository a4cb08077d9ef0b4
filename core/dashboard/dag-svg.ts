import { layoutDag } from './dag';
import { escapeHtml } from './escape';
import { specRoute } from './links';
import type { SpecData } from './page-model';
import { stateClass } from './state-class';

const NODE_W = 190;
const NODE_H = 26;
const GAP_X = 70;
const GAP_Y = 12;
const PAD = 16;
const LABEL_CHARS = 26;

/**
 * The pipeline as inline SVG: one node per spec (colored by its worst state,
 * linking to its page), one edge per `depends_on` that names a spec, drawn
 * left (upstream) to right. Laid out here, so the browser only paints.
 */
export function dagSvg(specs: readonly SpecData[]): string {
  const edges: [number, number][] = [];
  specs.forEach((s, i) => s.dependsOn.forEach((d) => d.spec !== null && edges.push([d.spec, i])));
  // Everything the drawing reads: a live rebuild after a prose or title edit draws nothing anew.
  const key = `${edges.join(' ')}\n${specs.map((s) => `${s.file}\0${s.path}\0${s.stem}\0${s.kind}\0${s.state}\0${s.counts.entries}`).join('\n')}`;
  if (last?.key !== key) last = { key, svg: draw(specs, edges) };
  return last.svg;
}

let last: { key: string; svg: string } | undefined;

function draw(specs: readonly SpecData[], edges: [number, number][]): string {
  const { layer, order, layers, edges: laid } = layoutDag(specs.length, edges);
  const tallest = Math.max(1, ...layers.map((l) => l.length));
  const x = (v: number) => PAD + layer[v] * (NODE_W + GAP_X);
  // Short layers are centred against the tallest one.
  const y = (v: number) => PAD + (order[v] + (tallest - layers[layer[v]].length) / 2) * (NODE_H + GAP_Y);
  const width = PAD * 2 + Math.max(1, layers.length) * (NODE_W + GAP_X) - GAP_X;
  const height = PAD * 2 + tallest * (NODE_H + GAP_Y) - GAP_Y;

  const paths = laid.map((e) => {
    const x1 = x(e.from) + NODE_W;
    const y1 = y(e.from) + NODE_H / 2;
    const x2 = x(e.to);
    const y2 = y(e.to) + NODE_H / 2;
    const bend = e.back ? NODE_W : GAP_X / 2;
    // An edge that skips layers arcs over the row so it does not run hidden behind the nodes between.
    const lift = layer[e.to] - layer[e.from] > 1 || e.back ? NODE_H * 1.2 : 0;
    return `<path class="edge${e.back ? ' back' : ''}" marker-end="url(#dag-arrow)" data-from="${e.from}" data-to="${e.to}" d="M${n(x1)} ${n(y1)}C${n(x1 + bend)} ${n(y1 - lift)} ${n(x2 - bend)} ${n(y2 - lift)} ${n(x2)} ${n(y2)}"/>`;
  });
  const nodes = specs.map((s, v) => {
    const label = s.stem.length > LABEL_CHARS ? `${s.stem.slice(0, LABEL_CHARS - 1)}…` : s.stem;
    const tip = `${s.path} — ${s.kind ?? 'no kind'}, ${s.state}${s.counts.entries ? `, ${s.counts.entries} entries` : ''}`;
    return `<a class="node ${stateClass(s.state)}" href="${escapeHtml(specRoute(s.file))}" data-spec="${v}"><title>${escapeHtml(tip)}</title><rect x="${n(x(v))}" y="${n(y(v))}" width="${NODE_W}" height="${NODE_H}" rx="5"/><text x="${n(x(v) + 8)}" y="${n(y(v) + NODE_H / 2 + 4)}">${escapeHtml(label)}</text></a>`;
  });
  return (
    `<svg class="dag" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-label="Pipeline: ${specs.length} specs, ${laid.length} depends_on edges">` +
    '<defs><marker id="dag-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path class="arrow" d="M0 0L8 4L0 8z"/></marker></defs>' +
    `<g class="edges">${paths.join('')}</g><g class="nodes">${nodes.join('')}</g></svg>`
  );
}

/** Coordinates with at most one decimal: stable text, smaller page. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}
