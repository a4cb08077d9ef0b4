/** Option and file-name rules, kept apart from the parser so the plugin's warm path loads neither yaml nor fast-glob. */
import { DEFAULT_OPTIONS, type SpecthisOptions } from './types';

/** Files under specsDir that are documentation, not specs. */
const NOT_SPECS = /^(readme|agents|claude)\.md$/i;

/** True for a workspace-relative `.md` path under specsDir that is a spec (not `_generated`, not README/AGENTS). */
export function isSpecFile(file: string, specsDir: string): boolean {
  const prefix = specsDir === '.' || specsDir === '' ? '' : `${specsDir.replace(/\/+$/, '')}/`;
  if (!file.startsWith(prefix) || !file.toLowerCase().endsWith('.md')) return false;
  const parts = file.slice(prefix.length).split('/');
  const base = parts[parts.length - 1];
  return !parts.some((p) => p.startsWith('_') || p.startsWith('.') || p === 'node_modules') && !NOT_SPECS.test(base);
}

/** A path relative to specsDir as a workspace-relative one: `specs/_lock.json`, or `_lock.json` when specsDir is the workspace root. */
export function inSpecsDir(specsDir: string, rel: string): string {
  return specsDir === '.' || specsDir === '' ? rel : `${specsDir}/${rel}`;
}

export function normalizeOptions(raw: Partial<SpecthisOptions> | undefined): SpecthisOptions {
  const specsDir = (raw?.specsDir ?? DEFAULT_OPTIONS.specsDir).replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '') || '.';
  return { specsDir, requireCertified: raw?.requireCertified ?? DEFAULT_OPTIONS.requireCertified };
}
