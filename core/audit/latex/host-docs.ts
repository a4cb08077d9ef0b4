import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { parseTex, type TexDocument } from './document';
import { labelScopes, type LabelScope } from './sections';

/** Where LaTeX host documents and exported artefacts live (DESIGN.md §2). */
export const REPORTS_DIR = 'reports';

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
  const files = fg.sync(`${REPORTS_DIR}/**/*.tex`, { cwd: root, dot: false, ignore: ['**/node_modules/**'], caseSensitiveMatch: false }).sort();
  const docs: HostDocument[] = [];
  for (const file of files) {
    if (exported.has(file)) continue;
    const doc = readHostDocument(root, file);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** One host document, or undefined when it is not a readable regular file of sensible size. */
export function readHostDocument(root: string, file: string): HostDocument | undefined {
  try {
    const stat = statSync(join(root, file));
    if (!stat.isFile() || stat.size > MAX_TEX_BYTES) return undefined;
    const doc = parseTex(readFileSync(join(root, file), 'utf8'));
    return { file, doc, scopes: labelScopes(doc) };
  } catch {
    return undefined;
  }
}
