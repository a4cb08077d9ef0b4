import { fenceScanner } from './fences';

export interface Heading {
  depth: number;
  /** Heading text with closing #s and surrounding backticks/whitespace removed. */
  text: string;
  /** 0-based index into the spec's lines. */
  index: number;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/**
 * ATX headings of a Markdown body, skipping fenced code blocks, so a `### x` inside
 * an example block is not taken for an entry. Setext headings are not used by the
 * spec format and are read as prose.
 */
export function scanHeadings(lines: readonly string[], from: number): Heading[] {
  const headings: Heading[] = [];
  const inFence = fenceScanner();
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    if (inFence(line)) continue;
    const m = ATX.exec(line);
    if (m) headings.push({ depth: m[1].length, text: stripCode((m[2] ?? '').trim()), index: i });
  }
  return headings;
}

export function stripCode(text: string): string {
  const m = /^`+([^`]*)`+$/.exec(text);
  return (m ? m[1] : text).trim();
}
