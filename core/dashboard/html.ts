import { createHash } from 'node:crypto';
import type { PageAssets } from './assets';
import { escapeHtml, scriptJson, type JsonMemo } from './escape';
import type { PageData } from './page-model';

/**
 * The one self-contained file: the skeleton from templates/dashboard/page.html
 * with inline CSS, the data as inert JSON, the server-laid-out DAG, and one
 * inline script allowed by its hash. The CSP forbids every network request but
 * the live-reload stream to the page's own origin; a hash rather than a nonce
 * keeps the bytes the same for the same tree. `memo`: see scriptJson.
 */
export function pageHtml(assets: PageAssets, data: PageData, dag: string, memo?: JsonMemo): string {
  if (/<\/script/i.test(assets.js))
    throw new Error('templates/dashboard: the page script contains "</script", which would end the inline script early; split the string');
  if (/<\/style/i.test(assets.css))
    throw new Error('templates/dashboard/page.css contains "</style", which would end the inline style early');
  const values: Record<string, string> = {
    // Generated from fixed words and base64 (no quote, `<` or `&`): safe in the double-quoted attribute as it is.
    csp: contentSecurityPolicy(assets.js),
    title: escapeHtml(`specthis · ${data.specsDir}`),
    style: assets.css,
    dag,
    data: scriptJson(data, memo),
    script: assets.js,
  };
  // Only the template is scanned for placeholders, never inserted text. Concatenated rather than
  // String.replace'd: copying 9 MiB through replace's builder cost 100 ms a build.
  const parts = assets.html.split(/\{\{(\w+)\}\}/);
  let html = '';
  parts.forEach((part, i) => (html += i % 2 === 0 ? part : part in values ? values[part] : `{{${part}}}`));
  return html;
}

let lastPolicy: { script: string; policy: string } | undefined;

export function contentSecurityPolicy(script: string): string {
  // The same script for every live rebuild (readAssets keeps it): hash it once.
  if (lastPolicy?.script !== script)
    lastPolicy = {
      script,
      policy: `default-src 'none'; script-src '${scriptHash(script)}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'`,
    };
  return lastPolicy.policy;
}

/** CSP source of an inline script: `sha256-<base64>` of its exact text. */
export function scriptHash(script: string): string {
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
}
