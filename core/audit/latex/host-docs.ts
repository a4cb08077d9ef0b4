import { REPORTS_DIR } from '../../layout';
import { join } from 'node:path';
import { outsideWorkspace } from '../../fs/inside';
import { derivedFrom, globFiles, readBytes, statFile } from '../../fs/read';
import { parseTex, type TexDocument } from './document';
import { labelScopes, type LabelScope } from './sections';

/** Where LaTeX host documents and exported artefacts live (templates/specs/README.md). */
export { REPORTS_DIR };

/** Host documents above this size are not read: a paper is text, a multi-megabyte `.tex` is generated data. */
const MAX_TEX_BYTES = 4 * 1024 * 1024;

export interface HostDocument {
  /** Workspace-relative path. */
  file: string;
  doc: TexDocument;
  scopes: Map<string, LabelScope>;
}

/**
 * Every `.tex` under `reports/` that no entry exports, parsed: the documents a
 * report spec can route into. Generated artefacts (export outputs) are left
 * out, so `_routing.json` describes the paper, not the tables inside it.
 */
export function readHostDocuments(root: string, exported: ReadonlySet<string>): HostDocument[] {
  const files = [
    ...globFiles(`${REPORTS_DIR}/**/*.tex`, root, { dot: false, ignore: ['**/node_modules/**'], caseSensitiveMatch: false }),
  ].sort();
  const docs: HostDocument[] = [];
  for (const file of files) {
    if (exported.has(file)) continue;
    const doc = readHostDocument(root, file);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** One host document, or undefined when it is not a readable regular file of sensible size inside the workspace. */
export function readHostDocument(root: string, file: string): HostDocument | undefined {
  // A paper that links out of the workspace is never read into _routing.json or the page.
  if (outsideWorkspace(root, file) !== undefined) return undefined;
  try {
    const stat = statFile(join(root, file));
    if (stat.kind !== 'file' || stat.size > MAX_TEX_BYTES) return undefined;
    const bytes = readBytes(join(root, file));
    return derivedFrom(bytes, `tex ${file}`, () => {
      const doc = parseTex(bytes.toString('utf8'));
      return { file, doc, scopes: labelScopes(doc) };
    });
  } catch {
    return undefined;
  }
}
