import { closest } from './closest';
import { diagnostic, compareDiagnostics } from '../diagnostics/diagnostic';
import { decodeSpec } from './decode';
import { readEntries } from './entries';
import { parseFrontMatter, type FrontMatter } from './front-matter';
import { scanHeadings } from './headings';
import { ENTRY_FAMILY, SPEC_KINDS, type Diagnostic, type Spec, type SpecKind } from './types';

const KNOWN_KEYS = ['name', 'kind', 'depends_on', 'host_doc', 'section_label', 'title'];

/**
 * Parses one spec file into plain data plus diagnostics. Never throws on bad input:
 * whatever is wrong becomes a diagnostic with a line, a rule and the right form.
 *
 * @param file workspace-relative path of the spec
 * @param specPath path relative to specsDir (the form `depends_on` uses)
 */
export function parseSpec(file: string, specPath: string, bytes: Uint8Array): Spec {
  const spec = emptySpec(file, specPath);
  const { stem } = spec;
  const decoded = decodeSpec(file, bytes);
  if ('diagnostic' in decoded) return withDiagnostics(spec, [decoded.diagnostic]);
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (!text.trim()) {
    return withDiagnostics(spec, [
      diagnostic('spec', file, {
        reason: 'spec is empty',
        rule: 'spec-empty',
        expected: `---\nname: ${stem}\nkind: compute\n---\n\n## Script\n...`,
      }),
    ]);
  }
  const lines = text.split(/\r?\n/);
  const fm = parseFrontMatter(file, lines);
  const diagnostics: Diagnostic[] = [...fm.diagnostics];
  if (fm.frontMatter) {
    readMeta(spec, fm.frontMatter, diagnostics);
    readBody(spec, lines, fm.frontMatter.bodyStart, diagnostics);
  }
  return withDiagnostics(spec, diagnostics);
}

function readMeta(spec: Spec, fm: FrontMatter, diagnostics: Diagnostic[]): void {
  const { file, stem } = spec;
  const at = (key: string) => fm.keyLines[key] ?? 1;
  for (const key of Object.keys(fm.data)) {
    if (!KNOWN_KEYS.includes(key)) {
      const near = closest(key, KNOWN_KEYS);
      diagnostics.push(
        diagnostic('spec', file, {
          line: at(key),
          reason: `unknown front matter key "${key}"${near ? `; did you mean "${near}"?` : ''}`,
          rule: 'front-matter-unknown-key',
          expected: `one of: ${KNOWN_KEYS.join(', ')}`,
          received: key,
        }),
      );
    }
  }
  const str = (key: string): string | undefined => {
    const v = fm.data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    diagnostics.push(
      diagnostic('spec', file, {
        line: at(key),
        reason: `front matter "${key}" must be a string`,
        rule: 'front-matter-type',
        expected: `${key}: ${key === 'kind' ? 'compute' : 'some-text'}`,
        received: JSON.stringify(v),
      }),
    );
    return undefined;
  };
  spec.name = str('name');
  spec.title = str('title');
  spec.hostDoc = str('host_doc');
  spec.sectionLabel = str('section_label');
  if (spec.name !== undefined && spec.name !== stem) {
    diagnostics.push(
      diagnostic('spec', file, {
        line: at('name'),
        severity: 'warning',
        reason: `front matter name "${spec.name}" does not match the file name "${stem}"`,
        rule: 'front-matter-name',
        expected: `name: ${stem}`,
        received: spec.name,
      }),
    );
  }
  const kind = str('kind');
  if (kind === undefined) {
    diagnostics.push(
      diagnostic('spec', file, {
        line: 1,
        reason: 'front matter has no "kind"',
        rule: 'front-matter-kind',
        expected: `kind: one of ${SPEC_KINDS.join(', ')}`,
      }),
    );
  } else if (!(SPEC_KINDS as readonly string[]).includes(kind)) {
    diagnostics.push(
      diagnostic('spec', file, {
        line: at('kind'),
        reason: `unknown kind "${kind}"`,
        rule: 'front-matter-kind',
        expected: `kind: one of ${SPEC_KINDS.join(', ')}`,
        received: kind,
      }),
    );
  } else {
    spec.kind = kind as SpecKind;
  }
  const deps = fm.data.depends_on;
  if (deps !== undefined && deps !== null) {
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
      diagnostics.push(
        diagnostic('spec', file, {
          line: at('depends_on'),
          reason: '"depends_on" must be a list of spec paths relative to the specs directory',
          rule: 'front-matter-type',
          expected: 'depends_on: [data/compute-clean.md, compute-wages.md]',
          received: JSON.stringify(deps),
        }),
      );
    } else {
      spec.dependsOn = deps.map((d: string) => d.replace(/^(\.\/)+/, ''));
      spec.dependsOnLines = fm.itemLines.depends_on ?? deps.map(() => at('depends_on'));
    }
  }
}

function readBody(spec: Spec, lines: string[], bodyStart: number, diagnostics: Diagnostic[]): void {
  const headings = scanHeadings(lines, bodyStart);
  const sectionIndex = headings.findIndex((h) => h.depth === 2 && /^entr(y|ies)$/i.test(h.text));
  const family = spec.kind && ENTRY_FAMILY[spec.kind];
  if (!family) {
    if (spec.kind && sectionIndex >= 0) {
      diagnostics.push(
        diagnostic('spec', spec.file, {
          line: headings[sectionIndex].index + 1,
          reason: `specs of kind "${spec.kind}" have no entries; entries belong to compute, report and figure specs`,
          rule: 'spec-entries-kind',
          expected: 'kind: compute',
        }),
      );
    }
    return;
  }
  if (sectionIndex < 0) {
    diagnostics.push(
      diagnostic('spec', spec.file, {
        line: bodyStart + 1,
        reason: `${spec.kind} spec has no "## Entry" or "## Entries" section`,
        rule: 'spec-no-entries',
        expected: '## Entry\n\n### fit-baseline\n- Script: `scripts/fit.py`\n- ...',
      }),
    );
    return;
  }
  const read = readEntries(spec.file, lines, family, headings, sectionIndex);
  spec.entries = read.entries;
  diagnostics.push(...read.diagnostics);
  if (!read.entries.length && !read.diagnostics.length) {
    diagnostics.push(
      diagnostic('spec', spec.file, {
        line: headings[sectionIndex].index + 1,
        reason: `"## ${headings[sectionIndex].text}" holds no "### <entry-name>" block`,
        rule: 'spec-no-entries',
        expected: '### fit-baseline\n- Script: `scripts/fit.py`\n- ...',
      }),
    );
  }
}

/** `wages/compute-wages.md` -> `compute-wages`: the name a spec's `name:` must match. */
export function specStem(path: string): string {
  return path.replace(/^.*\//, '').replace(/\.md$/i, '');
}

/** A spec with nothing read yet: what a file that cannot be parsed at all still is, with its diagnostics. */
export function emptySpec(file: string, specPath: string, diagnostics: Diagnostic[] = []): Spec {
  return { file, specPath, stem: specStem(specPath), dependsOn: [], dependsOnLines: [], entries: [], diagnostics };
}

function withDiagnostics(spec: Spec, diagnostics: Diagnostic[]): Spec {
  spec.diagnostics = diagnostics.sort(compareDiagnostics);
  return spec;
}
