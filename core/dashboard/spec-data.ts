import { bodyText, readSpecText } from '../audit/spec-text';
import type { Spec } from '../spec/types';
import type { EntryData, PageFinding, SpecData } from './page-model';
import type { LinkContext } from './links';
import { renderMarkdown } from './markdown';
import { worst } from './states';

/** Specs the parser refused to read are not rendered either: the page shows why instead. */
const UNREAD_RULES = new Set(['spec-too-large', 'spec-encoding', 'spec-unreadable']);

export interface SpecContext {
  root: string;
  specIndex: ReadonlyMap<string, number>;
  links: Omit<LinkContext, 'specFile'>;
  /** Identifies `links` for the render memo. */
  linksKey: string;
  specsDir: string;
  /** Collects the bodies this build rendered or reused (render-cache.ts keeps them). */
  rendered: Map<string, string>;
}

/** One spec of the page; `dependents` is filled in by page-data.ts. */
export function specData(spec: Spec, entryIndices: number[], entries: readonly EntryData[], findings: PageFinding[], ctx: SpecContext): SpecData {
  const own = entryIndices.map((i) => entries[i]);
  const broken = spec.diagnostics.some((d) => d.severity === 'error');
  const unread = spec.diagnostics.some((d) => UNREAD_RULES.has(d.rule));
  return {
    file: spec.file,
    path: spec.specPath,
    stem: spec.stem,
    title: spec.title ?? null,
    name: spec.name ?? null,
    kind: spec.kind ?? null,
    dependsOn: spec.dependsOn.map((path) => ({ path, spec: ctx.specIndex.get(specFileOf(path, ctx.specsDir)) ?? null })),
    dependents: [],
    hostDoc: spec.hostDoc ?? null,
    sectionLabel: spec.sectionLabel ?? null,
    broken,
    findings,
    entries: entryIndices,
    counts: { entries: own.length, person: own.filter((e) => e.person).length, machine: own.filter((e) => e.machine).length },
    state: broken ? 'blocked' : own.length ? worst(own.map((e) => e.state)) : 'none',
    html: unread ? '' : renderMarkdown(bodyText(readSpecText(ctx.root, spec.file)), { ...ctx.links, specFile: spec.file }, ctx.linksKey, ctx.rendered),
  };
}

/** Workspace-relative file of a `depends_on` path. */
export function specFileOf(path: string, specsDir: string): string {
  return specsDir === '.' || specsDir === '' ? path : `${specsDir}/${path}`;
}
