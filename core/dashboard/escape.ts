/** Text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * JSON to embed in `<script type="application/json">`: `<` is written as
 * `\u003c`, so no value can close the element (`</script>`) or open a comment
 * (`<!--`), and the text still parses as the same JSON. U+2028/U+2029 are
 * escaped too, for readers that treat them as line ends.
 */
export function scriptJson(value: unknown): string {
  let json = JSON.stringify(value);
  // Each pass only when needed: on a 9 MiB page an unneeded regex pass costs more than the JSON.stringify.
  if (json.includes('<')) json = json.replace(/</g, '\\u003c');
  if (json.includes('\u2028')) json = json.replace(/\u2028/g, '\\u2028');
  if (json.includes('\u2029')) json = json.replace(/\u2029/g, '\\u2029');
  return json;
}
