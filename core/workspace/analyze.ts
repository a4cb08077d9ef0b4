import { compareDiagnostics, diagnostic, hasErrors } from '../diagnostics/diagnostic';
import type { Diagnostic, Entry, Spec } from '../spec/types';
import { closest } from '../spec/closest';
import { findCycles } from './cycles';
import { outputOverlaps, ownedRoots } from './overlaps';
import type { SpecthisOptions, WorkspaceModel } from './types';

/**
 * Adds the findings that need every spec at once and resolves what each entry
 * consumes. Pure: the same specs give the same model.
 */
export function analyzeWorkspace(parsed: readonly Spec[], options: SpecthisOptions): WorkspaceModel {
  const specs = parsed.map((s) => ({ ...s, diagnostics: [...s.diagnostics] })).sort((a, b) => (a.file < b.file ? -1 : 1));
  const bySpecPath = new Map(specs.map((s) => [s.specPath, s]));
  const add = (spec: Spec, d: Diagnostic) => spec.diagnostics.push(d);

  reportDuplicateEntries(specs, add);
  for (const overlap of outputOverlaps(specs)) add(overlap.spec, overlap.diagnostic);
  const edges = resolveDependsOn(specs, bySpecPath, add);
  for (const cycle of findCycles(
    specs.map((s) => s.specPath),
    edges,
  )) {
    for (const specPath of cycle) {
      const spec = bySpecPath.get(specPath)!;
      const line = spec.dependsOnLines[spec.dependsOn.findIndex((d) => cycle.includes(d))] ?? 1;
      add(
        spec,
        diagnostic('workspace', spec.file, {
          line,
          reason: `depends_on forms a cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
          rule: 'depends-on-cycle',
          expected: 'depends_on lists only specs upstream of this one; a pipeline is acyclic',
          received: spec.dependsOn.join(', '),
        }),
      );
    }
  }

  const blocked = new Set(specs.filter((s) => hasErrors(s.diagnostics)).map((s) => s.file));
  const entries = new Map<string, Entry>();
  for (const s of specs) if (!blocked.has(s.file)) for (const e of s.entries) entries.set(e.name, e);

  const upstream = new Map<string, { entries: string[]; blockedSpecs: string[] }>();
  for (const spec of specs) {
    if (blocked.has(spec.file)) continue;
    const deps = (edges.get(spec.specPath) ?? []).map((p) => bySpecPath.get(p)!);
    const from = upstreamOf(deps, blocked);
    for (const entry of spec.entries) upstream.set(entry.name, resolveUpstream(spec, entry, from, add));
  }
  // Reads: problems found above make the spec blocked after all; drop what it contributed.
  for (const spec of specs) {
    if (!blocked.has(spec.file) && hasErrors(spec.diagnostics)) {
      blocked.add(spec.file);
      for (const e of spec.entries) {
        entries.delete(e.name);
        upstream.delete(e.name);
      }
    }
  }
  for (const s of specs) s.diagnostics.sort(compareDiagnostics);
  // Computed when first read: only running an entry needs it, and at 5,000 entries it was a sixth of a live dashboard rebuild's model.
  let roots: Map<string, string[]> | undefined;
  return {
    options,
    specs,
    entries,
    upstream,
    blocked,
    get outputRoots() {
      return (roots ??= new Map([...entries.values()].map((e) => [e.name, ownedRoots(e)])));
    },
  };
}

function reportDuplicateEntries(specs: Spec[], add: (s: Spec, d: Diagnostic) => void): void {
  const seen = new Map<string, { spec: Spec; entry: Entry }[]>();
  for (const spec of specs) {
    for (const entry of spec.entries) {
      const places = seen.get(entry.name);
      if (places) places.push({ spec, entry });
      else seen.set(entry.name, [{ spec, entry }]);
    }
  }
  for (const [name, places] of seen) {
    if (places.length < 2) continue;
    for (const { spec, entry } of places) {
      const others = places.filter((p) => p.entry !== entry).map((p) => `${p.spec.file}:${p.entry.line}`);
      add(
        spec,
        diagnostic('workspace', spec.file, {
          line: entry.line,
          reason: `entry name "${name}" is also declared in ${others.join(', ')}; entry names are unique across the workspace`,
          rule: 'entry-duplicate',
          expected: `### ${name}-${spec.stem}`,
        }),
      );
    }
  }
}

function resolveDependsOn(specs: Spec[], bySpecPath: Map<string, Spec>, add: (s: Spec, d: Diagnostic) => void): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const spec of specs) {
    const resolved: string[] = [];
    spec.dependsOn.forEach((dep, i) => {
      if (bySpecPath.has(dep)) return void resolved.push(dep);
      const known = [...bySpecPath.keys()];
      const sameFile = known.filter(
        (p) => p.endsWith(`/${dep}`) || dep.endsWith(`/${p}`) || p.replace(/^.*\//, '') === dep.replace(/^.*\//, ''),
      );
      // Else a typo: the spec path within two edits (core/spec/closest.ts, as front matter keys and fields do).
      const typo = sameFile.length ? undefined : closest(dep, known);
      const near = typo ? [typo] : sameFile;
      add(
        spec,
        diagnostic('workspace', spec.file, {
          line: spec.dependsOnLines[i] ?? 1,
          reason: `depends_on names "${dep}", which is not a spec under ${spec.file.slice(0, spec.file.length - spec.specPath.length - 1) || '.'}/`,
          rule: 'depends-on-missing',
          expected: near.length
            ? `depends_on: [${near.join(', ')}]`
            : 'a path relative to the specs directory, e.g. depends_on: [data/compute-clean.md]',
          received: dep,
        }),
      );
    });
    edges.set(spec.specPath, [...new Set(resolved)].sort());
  }
  return edges;
}

interface UpstreamOf {
  /** Compute entries of the unblocked specs in depends_on. */
  available: Entry[];
  /** Their names, sorted: what an entry without `Reads:` reads. */
  all: string[];
  blockedSpecs: string[];
  blockedNames: Set<string>;
}

/** What a spec's depends_on offers its entries: worked out once per spec, not once per entry. */
function upstreamOf(deps: Spec[], blocked: Set<string>): UpstreamOf {
  const available = deps.filter((d) => !blocked.has(d.file)).flatMap((d) => d.entries.filter((e) => e.family === 'compute'));
  return {
    available,
    all: available.map((e) => e.name).sort(),
    blockedSpecs: deps.filter((d) => blocked.has(d.file)).map((d) => d.file),
    blockedNames: new Set(deps.filter((d) => blocked.has(d.file)).flatMap((d) => d.entries.map((e) => e.name))),
  };
}

function resolveUpstream(
  spec: Spec,
  entry: Entry,
  { available, all, blockedSpecs, blockedNames }: UpstreamOf,
  add: (s: Spec, d: Diagnostic) => void,
) {
  // Copies: each entry's lists are its own.
  if (!entry.reads) return { entries: [...all], blockedSpecs: [...blockedSpecs] };
  const names = new Set(available.map((e) => e.name));
  const read: string[] = [];
  for (const name of entry.reads) {
    if (names.has(name)) read.push(name);
    else if (!blockedNames.has(name)) {
      add(
        spec,
        diagnostic('workspace', spec.file, {
          line: entry.line,
          reason: `entry "${entry.name}" reads "${name}", which is not a compute entry of the specs in depends_on`,
          rule: 'reads-unknown-entry',
          expected: available.length
            ? `- Reads: ${available.map((e) => `\`${e.name}\``).join(', ')}`
            : 'add the spec that declares it to depends_on',
          received: name,
        }),
      );
    }
  }
  return { entries: [...new Set(read)].sort(), blockedSpecs: [...blockedSpecs] };
}
