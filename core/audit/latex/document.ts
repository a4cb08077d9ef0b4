/** Sectioning commands, outermost first; a section runs to the next command of the same or a lower level number. */
export const SECTION_LEVELS = { part: -1, chapter: 0, section: 1, subsection: 2, subsubsection: 3, paragraph: 4, subparagraph: 5 } as const;
export type SectionCommand = keyof typeof SECTION_LEVELS;
export type InputCommand = 'input' | 'include' | 'includegraphics';

/** Offsets index the comment-stripped text (lines joined with "\n"); lines are 1-based. */
export interface TexSection {
  command: SectionCommand;
  level: number;
  title: string;
  line: number;
  offset: number;
}
export interface TexLabel {
  name: string;
  line: number;
  offset: number;
}
export interface TexInput {
  command: InputCommand;
  path: string;
  line: number;
  offset: number;
  /** `\includegraphics` only: the directories of the `\graphicspath` in force where it stands, tried after the path as given. */
  graphicsPaths?: string[];
}

export interface TexDocument {
  sections: TexSection[];
  labels: TexLabel[];
  inputs: TexInput[];
  /** Lines holding `\sectionversion`. */
  sectionVersions: number[];
  /** Offset where the document ends: `\end{document}`, else the end of the text. */
  end: number;
}

const SECTION = /\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\b\*?\s*(?:\[[^\]]*\]\s*)?\{/g;
const LABEL = /\\label\s*\{([^{}]*)\}/g;
const INPUT = /\\(input|include)\s*\{([^{}]*)\}/g;
/** TeX's own form, `\input tables/mincer`: the name runs to the next space (LaTeX falls back to it when no brace follows). */
const BARE_INPUT = /\\input(?![A-Za-z@])[ \t]*(?![ \t{])([^\s{}\\%]+)/g;
const GRAPHICS = /\\includegraphics\*?\s*(?:\[[^\]]*\]\s*)?\{([^{}]*)\}/g;
const SECTION_VERSION = /\\sectionversion(?![A-Za-z@])/g;
/** `\graphicspath{{figures/}{img/}}`: one brace group per directory. */
const GRAPHICSPATH = /\\graphicspath\s*\{((?:\s*\{[^{}]*\})*)\s*\}/g;

/**
 * Reads the routing-relevant commands of a LaTeX file: sectioning commands,
 * labels, `\input` (braced or TeX's bare `\input name`), `\include`,
 * `\includegraphics`, `\sectionversion`. Comments
 * are dropped first, so a commented-out `\input` routes nothing. This is a
 * scanner, not a TeX engine: macros that expand to these commands are not seen.
 */
export function parseTex(text: string): TexDocument {
  const source = stripComments(text).join('\n');
  const lineAt = lineLocator(source);
  const endMatch = /\\end\s*\{document\}/.exec(source);
  const end = endMatch ? endMatch.index : source.length;
  const within = <T extends { offset: number }>(items: T[]) => items.filter((i) => i.offset < end);
  // Each \graphicspath replaces the one before it, from where it stands.
  const settings = [...source.matchAll(GRAPHICSPATH)].map((m) => ({
    offset: m.index!,
    dirs: [...m[1].matchAll(/\{([^{}]*)\}/g)].map((d) => d[1].trim()).filter(Boolean),
  }));
  const graphicsPathAt = (offset: number) => settings.filter((s) => s.offset < offset).at(-1)?.dirs ?? [];
  const sections = [...source.matchAll(SECTION)].map((m) => {
    const command = m[1] as SectionCommand;
    const offset = m.index!;
    return { command, level: SECTION_LEVELS[command], title: bracedText(source, offset + m[0].length), line: lineAt(offset), offset };
  });
  const labels = [...source.matchAll(LABEL)].map((m) => ({ name: m[1].trim(), line: lineAt(m.index!), offset: m.index! }));
  const inputs: TexInput[] = [
    ...[...source.matchAll(INPUT)].map((m) => ({
      command: m[1] as InputCommand,
      path: m[2].trim(),
      line: lineAt(m.index!),
      offset: m.index!,
    })),
    ...[...source.matchAll(BARE_INPUT)].map((m) => ({ command: 'input' as const, path: m[1], line: lineAt(m.index!), offset: m.index! })),
    ...[...source.matchAll(GRAPHICS)].map((m) => ({
      command: 'includegraphics' as const,
      path: m[1].trim(),
      line: lineAt(m.index!),
      offset: m.index!,
      graphicsPaths: graphicsPathAt(m.index!),
    })),
  ].sort((a, b) => a.offset - b.offset);
  const sectionVersions = [...source.matchAll(SECTION_VERSION)].map((m) => lineAt(m.index!));
  return { sections: within(sections), labels: within(labels), inputs: within(inputs).filter((i) => i.path), sectionVersions, end };
}

/** The text of a brace group whose `{` was just consumed, nested groups included, whitespace collapsed. */
function bracedText(source: string, start: number): string {
  let depth = 1;
  for (let i = start; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(start, i).replace(/\s+/g, ' ').trim();
  }
  return source.slice(start).replace(/\s+/g, ' ').trim();
}

function lineLocator(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * The text of a `.tex` file with every `%` comment removed, one string per
 * line so that line numbers stay those of the file. `\%` is a literal percent
 * sign, not a comment; `\\%` is a line break followed by a comment.
 */
export function stripComments(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map(stripLine);
}

function stripLine(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    // A backslash escapes exactly the next character, so `\\` pairs up and `\%` is skipped.
    if (c === '\\') i++;
    else if (c === '%') return line.slice(0, i);
  }
  return line;
}
