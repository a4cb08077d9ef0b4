import type { TexDocument, TexInput, TexLabel, TexSection } from './document';

/** How far (in lines, either way) `\sectionversion` may sit from a label and still count as near it. */
export const SECTION_VERSION_WINDOW = 10;

export interface LabelScope {
  label: TexLabel;
  /** The nearest sectioning command before the label; null for a label before any. */
  section: TexSection | null;
  /** The section's extent as offsets [start, end): up to the next sectioning command of the same or a higher level. */
  start: number;
  end: number;
  /** `\input`, `\include` and `\includegraphics` inside that extent, in file order. */
  inputs: TexInput[];
  sectionVersionNear: boolean;
}

/**
 * The section a label belongs to and what that section pulls in. A label
 * before any sectioning command scopes the text up to the first one.
 */
export function scopeOfLabel(doc: TexDocument, label: TexLabel): LabelScope {
  const before = doc.sections.filter((s) => s.offset <= label.offset);
  const section = before.length ? before[before.length - 1] : null;
  const start = section ? section.offset : 0;
  const next = doc.sections.find((s) => s.offset > start && (section === null || s.level <= section.level));
  const end = next ? next.offset : doc.end;
  return {
    label,
    section,
    start,
    end,
    inputs: doc.inputs.filter((i) => i.offset >= start && i.offset < end),
    sectionVersionNear: doc.sectionVersions.some((line) => Math.abs(line - label.line) <= SECTION_VERSION_WINDOW),
  };
}

/** Every label of a document with its scope. A label defined twice (LaTeX warns) is reported at its first definition. */
export function labelScopes(doc: TexDocument): Map<string, LabelScope> {
  const scopes = new Map<string, LabelScope>();
  for (const label of doc.labels) if (!scopes.has(label.name)) scopes.set(label.name, scopeOfLabel(doc, label));
  return scopes;
}
