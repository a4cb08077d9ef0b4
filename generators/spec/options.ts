import { logger, type Tree } from '@nx/devkit';
import { inSpecsDir } from '../../core/layout';
import { generatorSpecsDir } from '../specs-dir';
import { checkEntryName, checkSpecName, refuse, relativePath, splitList } from '../validate';
import { existingEntries } from './existing-entries';
import type { ScaffoldKind, SpecGeneratorSchema } from './schema';

export const KINDS: readonly ScaffoldKind[] = ['compute', 'report', 'figure', 'definitions'];

/** Everything the renderer needs, validated. */
export interface SpecPlan {
  name: string;
  kind: ScaffoldKind;
  /** Workspace-relative path of the spec to write. */
  file: string;
  dependsOn: string[];
  entries: string[];
  hostDoc?: string;
  sectionLabel?: string;
}

export function planSpec(tree: Tree, schema: SpecGeneratorSchema): SpecPlan {
  const name = String(schema.name ?? '')
    .trim()
    .replace(/\.md$/, '');
  checkSpecName(name);
  const kind = schema.kind ?? 'compute';
  if (!KINDS.includes(kind)) {
    refuse(`unknown kind \`${kind}\`: the spec generator scaffolds ${KINDS.join(', ')}`, 'spec-kind', '--kind=compute', kind);
  }
  const specsDir = generatorSpecsDir(tree, schema.specsDir);
  const dir = schema.directory ? inSpecsDir(specsDir, subDirectory(schema.directory)) : specsDir;
  const file = inSpecsDir(dir, `${name}.md`);
  // Case-insensitive: Compute-Wages.md and compute-wages.md are one file on macOS and Windows.
  const clash = tree.children(dir).find((c) => c.toLowerCase() === `${name}.md`);
  if (clash)
    refuse(
      `${inSpecsDir(dir, clash)} already exists; the spec generator never overwrites a spec`,
      'spec-exists',
      `a new name, e.g. ${name}-2`,
      file,
    );

  const plan: SpecPlan = {
    name,
    kind,
    file,
    dependsOn: dependsOn(tree, specsDir, file, schema.dependsOn),
    entries: entryNames(tree, specsDir, name, kind, schema),
  };
  if (kind === 'report') Object.assign(plan, reportTarget(name, schema));
  else if (schema.hostDoc !== undefined || schema.sectionLabel !== undefined) {
    const received = schema.hostDoc ?? schema.sectionLabel ?? '';
    refuse(
      `host_doc and section_label belong to report specs, not ${kind} specs`,
      'report-only',
      '--kind=report --hostDoc=reports/paper.tex',
      received,
    );
  }
  return plan;
}

function reportTarget(name: string, schema: SpecGeneratorSchema): Pick<SpecPlan, 'hostDoc' | 'sectionLabel'> {
  const hostDoc = relativePath(schema.hostDoc ?? 'reports/paper.tex', 'hostDoc', 'reports/paper.tex');
  if (!/^reports\/.+\.tex$/.test(hostDoc))
    refuse('host_doc must be a LaTeX document under `reports/`', 'host-doc', 'reports/paper.tex', hostDoc);
  const sectionLabel = (schema.sectionLabel ?? `sec:${name}`).trim();
  if (!/^[^\s{}\\%#]+$/.test(sectionLabel)) {
    refuse(
      'section_label is the text inside `\\label{}`: no spaces, braces, `\\`, `%` or `#`',
      'section-label',
      `sec:${name}`,
      sectionLabel,
    );
  }
  return { hostDoc, sectionLabel };
}

/** Directories starting with `_` or `.` hold generated or hidden files, never specs. */
function subDirectory(value: string): string {
  const dir = relativePath(value, 'directory', 'wages');
  if (dir.split('/').some((s) => /^[_.]/.test(s)))
    refuse('directory segments may not start with `_` or `.`', 'option-path', 'wages', value);
  return dir;
}

/** A missing dependency only warns: specs are often written in the order of thought, not of the pipeline. */
function dependsOn(tree: Tree, specsDir: string, file: string, value: string | undefined): string[] {
  const paths = splitList(value).map((p) => relativePath(p.endsWith('.md') ? p : `${p}.md`, 'dependsOn', 'compute-clean.md'));
  for (const p of paths) {
    if (inSpecsDir(specsDir, p) === file) refuse('a spec cannot depend on itself', 'depends-on-self', 'compute-clean.md', p);
    if (!tree.exists(inSpecsDir(specsDir, p)))
      logger.warn(`depends_on: ${inSpecsDir(specsDir, p)} does not exist yet; the audit reports it until it does.`);
  }
  return [...new Set(paths)];
}

function entryNames(tree: Tree, specsDir: string, name: string, kind: ScaffoldKind, schema: SpecGeneratorSchema): string[] {
  const given = splitList(schema.entryNames);
  const count = schema.entries ?? (given.length || (kind === 'definitions' ? 0 : 1));
  if (!Number.isInteger(count) || count < 0) refuse('entries must be a whole number', 'entry-count', '--entries=2', String(count));
  if (given.length && count !== given.length) {
    refuse(
      `--entries=${count} but --entryNames lists ${given.length} names`,
      'entry-count',
      '--entryNames=a,b (the count follows)',
      String(schema.entryNames),
    );
  }
  if (kind === 'definitions' && count > 0)
    refuse('definitions specs have no entries', 'entry-count', '--kind=definitions (without --entries)', String(count));
  if (kind !== 'definitions' && count < 1)
    refuse(`a ${kind} spec declares at least one entry`, 'entry-count', '--entries=1', String(count));

  const stem = name.startsWith(`${kind}-`) && name.length > kind.length + 1 ? name.slice(kind.length + 1) : name;
  // report-wages next to compute-wages is the usual pairing: suffix exporters so their default names never collide.
  const base = kind === 'report' ? `${stem}-table` : kind === 'figure' ? `${stem}-figure` : stem;
  const names = given.length ? given : count === 1 ? [base] : Array.from({ length: count }, (_, i) => `${base}-${i + 1}`);
  names.forEach(checkEntryName);
  const taken = existingEntries(tree, specsDir);
  names.forEach((entry, i) => {
    if (names.indexOf(entry) !== i)
      refuse(`entry name \`${entry}\` is listed twice`, 'entry-name-unique', '--entryNames=wages-2019,wages-2020', entry);
    const owner = taken.get(entry);
    if (owner) {
      // The usual case is a report or figure named after its compute spec (report-wages next to compute-wages).
      const suggestion = `--entryNames=${entry}-${kind === 'figure' ? 'figure' : kind === 'report' ? 'table' : '2'}`;
      const reason = `entry name \`${entry}\` is already declared in ${owner}; entry names are unique across the workspace (they name targets, lock records and cache keys)`;
      refuse(reason, 'entry-name-unique', suggestion, entry);
    }
  });
  return names;
}
