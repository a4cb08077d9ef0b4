import { bodyText, readSpecText } from '../audit/spec-text';
import type { Spec } from '../spec/types';
import { inSpecsDir } from '../layout';
import type { EntryData, PageFinding, SpecData } from './page-model';
import { worst } from './states';

/** Specs the parser refused to read have no body to show: the page shows why instead. */
const UNREAD_RULES = new Set(['spec-too-large', 'spec-encoding', 'spec-unreadable', 'spec-outside-workspace']);

export interface SpecContext {
  root: string;
  specIndex: ReadonlyMap<string, number>;
  specsDir: string;
}

/** One spec of the page; `dependents` is filled in by page-data.ts. */
export function specData(
  spec: Spec,
  entryIndices: number[],
  entries: readonly EntryData[],
  findings: PageFinding[],
  ctx: SpecContext,
): SpecData {
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
    dependsOn: spec.dependsOn.map((path) => ({ path, spec: ctx.specIndex.get(inSpecsDir(ctx.specsDir, path)) ?? null })),
    dependents: [],
    hostDoc: spec.hostDoc ?? null,
    sectionLabel: spec.sectionLabel ?? null,
    broken,
    findings,
    entries: entryIndices,
    counts: { entries: own.length, person: own.filter((e) => e.person).length, machine: own.filter((e) => e.machine).length },
    state: broken ? 'blocked' : own.length ? worst(own.map((e) => e.state)) : 'none',
    markdown: unread ? null : bodyText(readSpecText(ctx.root, spec.file)),
  };
}
