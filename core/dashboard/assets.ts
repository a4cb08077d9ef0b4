import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot, templatePath } from '../package';

/** The browser code, concatenated in this order after the Markdown bundle into one inline script (one CSP hash). */
export const SCRIPT_FILES = ['dom.js', 'states.js', 'sidebar.js', 'table.js', 'table-controls.js', 'spec-page.js', 'paper.js', 'main.js'];

export interface PageAssets {
  html: string;
  css: string;
  js: string;
}

let last: { signature: string; assets: PageAssets } | undefined;

/**
 * From the package's `templates/dashboard/` and its Markdown bundle, read
 * again whenever one of them changed on disk, so a served page always matches
 * the installed package; a live rebuild only stats them.
 */
export function readAssets(): PageAssets {
  const bundle = join(findPackageRoot(), MARKDOWN_BUNDLE);
  const files = [bundle, ...['page.html', 'page.css', ...SCRIPT_FILES].map((f) => templatePath('dashboard', f))];
  const signature = files.map(statSignature).join('\0');
  if (last?.signature !== signature) last = { signature, assets: assemble(bundle) };
  return last.assets;
}

function statSignature(file: string): string {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'missing';
}

function assemble(bundle: string): PageAssets {
  const read = (name: string) => readFileSync(templatePath('dashboard', name), 'utf8');
  const js = [`// markdown.js\n${readMarkdownBundle(bundle)}`, ...SCRIPT_FILES.map((f) => `// ${f}\n${read(f)}`)].join('\n');
  return { html: read('page.html'), css: read('page.css'), js: `(function () {\n'use strict';\n${js}\n})();\n` };
}

/** `npm run build` bundles the Markdown pipeline (scripts/bundle-markdown.js); it defines `specthisMarkdown`. */
export const MARKDOWN_BUNDLE = join('dist', 'browser', 'markdown.js');

function readMarkdownBundle(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `${file}: the dashboard's Markdown bundle cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); \`npm run build\` writes it`,
      { cause: e },
    );
  }
}
