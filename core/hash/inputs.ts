import { outsideWorkspace } from '../fs/inside';
import { readBytes } from '../fs/read';
import { runPaths } from '../spec/command';
import { join } from 'node:path';
import type { Entry, Spec } from '../spec/types';
import { hashFile, sha256 } from './sha256';

/**
 * `inputs_certified`: what certification covers, as one SHA-256 (docs/architecture.md, "Entry state").
 *
 * The framed text is, joined with "\n" and with no trailing newline:
 *
 *     specthis-inputs/1
 *     spec-shared <specFile> <sha256>
 *     entry-block <specFile>#<entry> <sha256>
 *     script <path> <sha256>
 *     workflow <path> <sha256>
 *     run-file <path> <sha256>
 *
 * Roles come in that order; within a role, lines are sorted by path and
 * duplicates dropped. `<sha256>` is lowercase hex, or the literal `missing` when
 * there is no regular file at the path. Paths are workspace-relative POSIX paths
 * as the spec writes them; they cannot hold a newline (specs are read line by
 * line), so every line is unambiguous.
 *
 * - spec-shared: the spec text (UTF-8, BOM dropped, split on /\r?\n/) without the
 *   lines of any entry block and without the front matter's `title:` key (a
 *   display title is not part of any hash, templates/specs/README.md), lines joined with "\n".
 *   Editing a sibling entry therefore leaves this entry's inputs alone.
 * - entry-block: this entry's lines, from its `###` heading up to the next
 *   heading of level <= 3, joined with "\n" (CRLF and LF checkouts agree),
 *   without its `Runner:` and `Resources:` lines (where and with what it runs
 *   does not change what its output means; an entry block without them
 *   frames exactly as before they existed, 2026-12-01).
 * - script, workflow: the file's raw bytes.
 * - run-file: the raw bytes of each other file the `Run:` command names
 *   (core/spec/command.ts, `runPaths`) that is a regular file when hashed;
 *   a word that is no file adds no line. Added 2026-12-01 without a new
 *   framing version: an entry whose `Run:` names no other file frames
 *   exactly as before, so its lock record stays valid.
 *
 * Every lock ever written depends on these exact bytes: change anything here
 * and FRAMING_VERSION must change with it (and old locks read as drifted).
 */
export const FRAMING_VERSION = 'specthis-inputs/1';
export const MISSING = 'missing';

export type ComponentRole = 'spec-shared' | 'entry-block' | 'script' | 'workflow' | 'run-file';
export interface Component {
  role: ComponentRole;
  path: string;
  sha256: string;
}

export const ROLE_ORDER: readonly ComponentRole[] = ['spec-shared', 'entry-block', 'script', 'workflow', 'run-file'];

/** Components in framing order: by role, then path; exact duplicates dropped. */
export function sortComponents(components: readonly Component[]): Component[] {
  const seen = new Set<string>();
  return [...components]
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .filter((c) => {
      const key = `${c.role} ${c.path}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

export function framedInputsText(components: readonly Component[]): string {
  return [FRAMING_VERSION, ...sortComponents(components).map((c) => `${c.role} ${c.path} ${c.sha256}`)].join('\n');
}

/** `inputs_certified` of a set of components: SHA-256 hex of the framed text. */
export function frameInputs(components: readonly Component[]): string {
  return sha256(framedInputsText(components));
}

/** The two spec components, from the spec's text (pure; `spec.entries` give every block's lines). */
export function specComponents(text: string | undefined, spec: Spec, entry: Entry): Component[] {
  const blockPath = `${spec.file}#${entry.name}`;
  if (text === undefined) {
    return [
      { role: 'spec-shared', path: spec.file, sha256: MISSING },
      { role: 'entry-block', path: blockPath, sha256: MISSING },
    ];
  }
  const { lines, sharedSha } = sharedOf(text, spec);
  const placement = new Set(entry.placementLines ?? []);
  const block = lines
    .slice(entry.block.start, entry.block.end)
    .filter((_, i) => !placement.has(entry.block.start + i))
    .join('\n');
  return [
    { role: 'spec-shared', path: spec.file, sha256: sharedSha },
    { role: 'entry-block', path: blockPath, sha256: sha256(block) },
  ];
}

/** The last spec's split and shared hash: callers walk a spec's entries in a row, and re-splitting the text per entry was quadratic in a spec's size. */
let lastShared: { text: string; spec: Spec; lines: string[]; sharedSha: string } | undefined;

function sharedOf(text: string, spec: Spec): { lines: string[]; sharedSha: string } {
  if (lastShared && lastShared.spec === spec && lastShared.text === text) return lastShared;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const dropped = new Set<number>(titleLines(lines));
  for (const e of spec.entries) for (let i = e.block.start; i < Math.min(e.block.end, lines.length); i++) dropped.add(i);
  const sharedSha = sha256(lines.filter((_, i) => !dropped.has(i)).join('\n'));
  lastShared = { text, spec, lines, sharedSha };
  return lastShared;
}

/** Line indices of a top-level `title:` key in the front matter, with its indented continuation lines. */
function titleLines(lines: readonly string[]): number[] {
  if (!/^---[A-Za-z0-9_-]*\s*$/.test(lines[0] ?? '')) return [];
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  const found: number[] = [];
  for (let i = 1; i < close; i++) {
    if (!/^title\s*:/.test(lines[i])) continue;
    found.push(i);
    for (let j = i + 1; j < close && /^(\s|$)/.test(lines[j]); j++) found.push(j);
  }
  return found;
}

/**
 * Live `inputs_certified` of one entry: the spec re-read from disk, its
 * script, workflow and run files hashed. A path that links out of the
 * workspace is never read: it hashes as `missing`, and the run and the audit
 * refuse it by name (core/run/preflight.ts, `path-outside-workspace`).
 */
export function computeInputs(root: string, spec: Spec, entry: Entry): { digest: string; components: Component[] } {
  const hash = (path: string) => (outsideWorkspace(root, path) === undefined ? hashFile(join(root, path)) : undefined);
  const file = (role: ComponentRole, path: string): Component => ({ role, path, sha256: hash(path)?.sha256 ?? MISSING });
  const runFiles = runPaths(entry).flatMap((path) => {
    const h = hash(path);
    return h ? [{ role: 'run-file' as const, path, sha256: h.sha256 }] : [];
  });
  const components = sortComponents([
    ...specComponents(outsideWorkspace(root, spec.file) === undefined ? readText(join(root, spec.file)) : undefined, spec, entry),
    ...(entry.script ? [file('script', entry.script)] : []),
    ...entry.workflows.map((w) => file('workflow', w)),
    ...runFiles,
  ]);
  return { digest: frameInputs(components), components };
}

function readText(absPath: string): string | undefined {
  try {
    return readBytes(absPath).toString('utf8');
  } catch {
    return undefined;
  }
}
