/**
 * Scope creep: a compute spec describes data, never figures (templates/specs/README.md).
 * The audit flags a compute spec line that talks about how results *look*.
 * The list is deliberately small; each term is figure vocabulary with no
 * common data meaning:
 *
 * - LaTeX that places or captions artefacts: `\input`, `\include`,
 *   `\includegraphics`, `\caption` (anywhere, code spans included: a compute
 *   spec has no business routing into the paper);
 * - styling words, outside code spans (a backticked `colour` is a variable
 *   name, which is data): palette, colour/color (and plurals), colormap,
 *   colorbar, axis label(s), pgfplots, matplotlib, ggplot.
 *
 * A word list cannot tell every "colour of the flower" from a styling
 * instruction, so a match is a warning, not an error (docs/decisions.md).
 */
export const FIGURE_LATEX = ['\\input', '\\include', '\\includegraphics', '\\caption'] as const;
export const FIGURE_WORDS = [
  'palette',
  'colour',
  'color',
  'colormap',
  'colorbar',
  'axis label',
  'pgfplots',
  'matplotlib',
  'ggplot',
] as const;

const LATEX = /\\(input|include|includegraphics|caption)(?![A-Za-z@])/g;
const WORDS = /\b(palettes?|colou?rs?|colou?rmaps?|colou?rbars?|ax[ie]s[ -]labels?|pgfplots|matplotlib|ggplot2?)\b/gi;
/** Cheap pre-filter: almost no line holds a term, and the full scan allocates per line. */
const MAYBE = /\\(input|include|includegraphics|caption)|palette|colou?r|ax[ie]s[ -]label|pgfplots|matplotlib|ggplot/i;

export interface ScopeCreepHit {
  /** 0-based index into the lines scanned. */
  index: number;
  /** The terms found on the line, normalised to the list's spelling, in order of appearance. */
  terms: string[];
}

/** Lines (in [from, to)) of a compute spec that describe figures; fenced code counts too, since plotting code is figure work. */
export function findScopeCreep(lines: readonly string[], from = 0, to = lines.length): ScopeCreepHit[] {
  const hits: ScopeCreepHit[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (!MAYBE.test(line)) continue;
    const terms = [
      ...[...line.matchAll(LATEX)].map((m) => ({ at: m.index!, term: `\\${m[1]}` })),
      ...[...line.replace(/`[^`]*`/g, (s) => ' '.repeat(s.length)).matchAll(WORDS)].map((m) => ({ at: m.index!, term: normalise(m[1]) })),
    ].sort((a, b) => a.at - b.at);
    const unique = [...new Set(terms.map((t) => t.term))];
    if (unique.length) hits.push({ index: i, terms: unique });
  }
  return hits;
}

function normalise(word: string): string {
  const w = word.toLowerCase();
  if (/^palettes?$/.test(w)) return 'palette';
  if (/^colou?rmaps?$/.test(w)) return 'colormap';
  if (/^colou?rbars?$/.test(w)) return 'colorbar';
  if (/^colou?rs?$/.test(w)) return w.includes('ou') ? 'colour' : 'color';
  if (/^ax[ie]s[ -]labels?$/.test(w)) return 'axis label';
  if (/^ggplot2?$/.test(w)) return 'ggplot';
  return w;
}
