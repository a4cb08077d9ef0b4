#!/usr/bin/env node
// Bundles the dashboard's Markdown pipeline (core/dashboard/markdown-browser.ts:
// remark, rehype-sanitize, our link rewriting) into one browser script the page
// inlines, so spec bodies are rendered in the page, on demand. Run by `npm run build`.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const root = join(__dirname, '..');
const outfile = join(root, 'dist', 'browser', 'markdown.js');
buildSync({
  entryPoints: [join(root, 'core', 'dashboard', 'markdown-browser.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'specthisMarkdown',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  // links.ts uses node:path's posix functions; path-browserify is that module for browsers.
  alias: { 'node:path': 'path-browserify' },
  legalComments: 'eof',
  logLevel: 'warning',
});
