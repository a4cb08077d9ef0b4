import { DASHBOARD_FILE } from '../layout';
/**
 * The dashboard (docs/architecture.md, "Dashboard"): one self-contained `specs.html` with every
 * spec, entry, state, output and paper section, for the `dashboard` executor,
 * `specthis dashboard` and the live server.
 *
 *     const build = buildDashboard(root, options);   // reads, writes nothing
 *     writeDashboard(root, build);                   // specs.html, _index.json, _routing.json
 */
import { join } from 'node:path';
import { runAudit } from '../audit/audit';
import type { AuditMemo } from '../audit/memo';
import { generatedFiles } from '../audit/write';
import { activeFileCache, FileCache } from '../fs/file-cache';
import { writeFileAtomic } from '../fs/atomic';
import { loadWorkspace } from '../workspace/load';
import { inSpecsDir } from '../layout';
import type { SpecthisOptions } from '../workspace/types';
import { readAssets } from './assets';
import { dagSvg } from './dag-svg';
import type { JsonMemo } from './escape';
import { pageHtml } from './html';
import { declaredOutputs } from './outputs';
import { buildPageData } from './page-data';
import type { PageMemo } from './page-memo';

export { DASHBOARD_FILE };

export interface DashboardBuild {
  /** The whole specs.html. */
  html: string;
  /** Workspace-relative: `<specsDir>/specs.html`, `<specsDir>/_index.json`, `<specsDir>/_routing.json` (the audit's bytes for the two JSONs). */
  files: { path: string; text: string }[];
  /** Workspace-relative, sorted: every compute `Output:` and every `Export outputs:` path (the server serves only these). */
  declaredOutputs: string[];
}

export interface BuildOptions {
  /** Also compute `_index.json` and `_routing.json` into `files` (default true). The live server, which never writes them, passes false: `files` then holds only specs.html. */
  generated?: boolean;
  /** The live server's memo of entry facts between rebuilds (core/audit/memo.ts); without it the audit computes everything. */
  auditMemo?: AuditMemo;
  /** The live server's escaped JSON of the previous build's page records (escape.ts). */
  jsonMemo?: JsonMemo;
  /** The live server's page records of the previous build (page-memo.ts); pass with `jsonMemo`, which keeps their JSON. */
  pageMemo?: PageMemo;
}

/**
 * Reads the workspace and renders the page; writes nothing. Reads go through
 * a FileCache: the live server's, or one for this build alone, so the 5,000
 * entries of a large workspace stat and hash each shared script, workflow and
 * output once.
 */
export function buildDashboard(root: string, options?: Partial<SpecthisOptions>, how: BuildOptions = {}): DashboardBuild {
  return activeFileCache() ? build(root, options, how) : new FileCache(root).run(() => build(root, options, how));
}

function build(root: string, options: Partial<SpecthisOptions> | undefined, how: BuildOptions): DashboardBuild {
  const model = loadWorkspace(root, options);
  const run = runAudit(root, model, { memo: how.auditMemo });
  const data = buildPageData(root, model, run, how.pageMemo);
  how.pageMemo?.rotate();
  const html = pageHtml(readAssets(), data, dagSvg(data.specs), how.jsonMemo);
  const generated = how.generated === false ? {} : generatedFiles(root, model, run);
  const files = [
    { path: inSpecsDir(model.options.specsDir, DASHBOARD_FILE), text: html },
    ...Object.entries(generated).map(([path, text]) => ({ path, text })),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { html, files, declaredOutputs: declaredOutputs(model) };
}

/** Writes every file of the build atomically; returns the workspace-relative paths written, sorted. */
export function writeDashboard(root: string, build: DashboardBuild): string[] {
  for (const f of build.files) writeFileAtomic(join(root, f.path), f.text);
  return build.files.map((f) => f.path);
}

export type { PageData } from './page-model';
