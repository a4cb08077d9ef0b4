import { posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic';
import { isUnder, REPORTS_DIR, RESULTS_DIR } from '../layout';
import { runPaths } from '../spec/command';
import type { Entry, Spec } from '../spec/types';

/**
 * What an entry owns: what Nx caches and restores, and what a receipt
 * records. A compute entry owns the directory of its one JSON (sidecar files
 * live beside it); a report or figure entry owns its export files.
 */
export function ownedRoots(entry: Pick<Entry, 'family' | 'outputs'>): string[] {
  if (entry.family === 'compute') return entry.outputs.slice(0, 1).map((o) => posix.dirname(o));
  return [...entry.outputs].sort();
}

/** `a/b/c` -> [`a/b`, `a`]. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = posix.dirname(path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) out.push(dir);
  return out;
}

/** Only outputs in their place are compared; the parser already refuses the others (`routing-leak`). */
function inPlace(entry: Entry): boolean {
  return entry.family === 'compute'
    ? entry.outputs.every((o) => isUnder(o, RESULTS_DIR) && posix.dirname(o) !== RESULTS_DIR)
    : entry.outputs.every((o) => isUnder(o, REPORTS_DIR));
}

/**
 * An Nx cache restore rewrites whatever a target owns, and deletes what is
 * not in the cached copy. So no entry's outputs may contain, or sit inside,
 * another entry's outputs, nor hold a file the specs name as an input (a
 * script, a workflow file, a file a `Run:` command names, a host document, a
 * spec): restoring one entry would revert or delete it. Each conflict is an
 * error on every entry that owns a part of it. Indexed by path and by
 * ancestor directory, so 5,000 entries stay linear.
 */
export function outputOverlaps(specs: readonly Spec[]): { spec: Spec; diagnostic: Diagnostic }[] {
  const owners = new Map<string, { spec: Spec; entry: Entry }[]>();
  const below = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, key: string, value: string) => {
    const set = map.get(key);
    if (set) set.add(value);
    else map.set(key, new Set([value]));
  };
  for (const spec of specs) {
    for (const entry of spec.entries) {
      if (!inPlace(entry)) continue;
      for (const root of ownedRoots(entry)) {
        const list = owners.get(root);
        if (list) list.push({ spec, entry });
        else owners.set(root, [{ spec, entry }]);
        for (const dir of ancestors(root)) note(below, dir, root);
      }
    }
  }
  const inputs = new Map<string, string>();
  for (const spec of specs) {
    inputs.set(spec.file, 'a spec');
    if (spec.hostDoc) inputs.set(spec.hostDoc, `the host document of ${spec.file}`);
    for (const e of spec.entries) {
      if (e.script) inputs.set(e.script, `the script of ${e.name}`);
      for (const w of e.workflows) inputs.set(w, `a workflow file of ${e.name}`);
      for (const r of runPaths(e)) inputs.set(r, `a file the Run: command of ${e.name} names`);
    }
  }
  const inputsBelow = new Map<string, Set<string>>();
  for (const path of inputs.keys()) for (const dir of ancestors(path)) note(inputsBelow, dir, path);

  const found: { spec: Spec; diagnostic: Diagnostic }[] = [];
  const report = (spec: Spec, entry: Entry, root: string, reason: string, received: string) =>
    found.push({
      spec,
      diagnostic: diagnostic('workspace', spec.file, {
        line: entry.line,
        reason: `the outputs of entry "${entry.name}" (${root}) ${reason}`,
        rule: 'entry-output-overlap',
        expected:
          entry.family === 'compute'
            ? `a result directory of its own: - Output: \`${RESULTS_DIR}/${spec.stem}-${entry.name}/${posix.basename(entry.outputs[0])}\``
            : `export files no other entry writes: - Export outputs: \`${REPORTS_DIR}/tables/${entry.name}.tex\``,
        received,
        note: 'an Nx cache restore of one entry would revert or delete what the other owns',
        entry: entry.name,
      }),
    });
  for (const [root, list] of owners) {
    const others = (self: Entry) => list.filter((o) => o.entry !== self).map((o) => `${o.entry.name} (${o.spec.file})`);
    const inside = [...(below.get(root) ?? [])].flatMap((r) => owners.get(r)!.map((o) => `${o.entry.name} (${r})`));
    const around = ancestors(root).flatMap((dir) => (owners.get(dir) ?? []).map((o) => `${o.entry.name} (${dir})`));
    const held = [...(inputsBelow.get(root) ?? []), ...(inputs.has(root) ? [root] : [])].map((p) => `${p}, ${inputs.get(p)}`);
    for (const { spec, entry } of list) {
      if (others(entry).length) report(spec, entry, root, 'are also the outputs of another entry', others(entry).join(', '));
      if (inside.length) report(spec, entry, root, "contain another entry's outputs", inside.join(', '));
      if (around.length) report(spec, entry, root, "sit inside another entry's outputs", around.join(', '));
      if (held.length) report(spec, entry, root, 'hold a file the specs name as an input', held.join('; '));
    }
  }
  return found;
}
