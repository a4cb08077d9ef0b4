import { escapeHtml } from '../dashboard/escape';
import type { OutputFile } from './output-file';

const STYLE =
  'body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1f2328}pre{background:#f6f8fa;padding:1rem;overflow:auto;white-space:pre-wrap;word-break:break-word}a{color:#0969da}.note{color:#8a5a00}';

/**
 * A declared text or JSON output as a page: the text escaped inside `<pre>`,
 * JSON pretty-printed when it parses, binary content described instead of
 * shown. Never the raw bytes as HTML, so an output holding `<script>` is text.
 */
export function outputPage(rel: string, file: OutputFile): string {
  const text = file.bytes.toString('utf8');
  const binary = file.bytes.subarray(0, 8192).includes(0);
  let body: string;
  let note = file.truncated ? `showing the first ${file.bytes.length} of ${file.size} bytes` : '';
  if (binary) {
    body = '';
    note = `binary file, ${file.size} bytes, not shown`;
  } else {
    body = rel.toLowerCase().endsWith('.json') && !file.truncated ? prettyJson(text) : text;
  }
  return page(
    rel,
    `<p><a href="/">dashboard</a> · <code>${escapeHtml(rel)}</code></p>${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}${binary ? '' : `<pre>${escapeHtml(body)}</pre>`}`,
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * Shown while no render has ever succeeded: the failure, escaped, and a
 * listener that reloads the page on the next successful render.
 */
export function renderErrorPage(message: string): string {
  return page(
    'specthis: the dashboard did not render',
    `<h1>The dashboard did not render</h1><p>The server keeps watching the workspace and reloads this page after the next successful render.</p><pre>${escapeHtml(message)}</pre>` +
      `<script>new EventSource('/_specthis/events').addEventListener('reload',function(){location.reload()})</script>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}
