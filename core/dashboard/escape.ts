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
 *
 * With a memo (the live server's), a top-level object is serialized one array
 * element at a time and elements whose JSON the previous build already escaped
 * are not escaped again; the text is the same either way.
 */
export function scriptJson(value: unknown, memo?: JsonMemo): string {
  if (!memo || !isPlainObject(value)) return escapeJson(JSON.stringify(value));
  // Built with += (V8 joins the pieces lazily, once, when the page is sent) rather than join().
  let json = '{';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue; // as JSON.stringify leaves them out
    json += `${json.length > 1 ? ',' : ''}${escapeJson(JSON.stringify(key))}:`;
    if (!Array.isArray(v)) {
      json += memo.escape(JSON.stringify(v));
      continue;
    }
    json += '[';
    for (let i = 0; i < v.length; i++) json += (i ? ',' : '') + memo.element(v[i]);
    json += ']';
  }
  memo.rotate();
  return `${json}}`;
}

/** Escaped JSON texts of one build, for the next: re-escaping every record of a 5,000-entry page was a fifth of a live rebuild (when spec records held rendered HTML). */
export class JsonMemo {
  private previous = new Map<string, string>();
  private current = new Map<string, string>();
  /** Escaped JSON of each record object written: page records are not mutated once built, and PageMemo hands back last build's objects. */
  private objects = new WeakMap<object, string>();

  /** Escaped JSON of one array element. */
  element(value: unknown): string {
    if (typeof value !== 'object' || value === null) return this.escape(JSON.stringify(value) ?? 'null');
    let text = this.objects.get(value);
    if (text === undefined) this.objects.set(value, (text = this.escape(JSON.stringify(value) ?? 'null')));
    return text;
  }

  escape(json: string): string {
    if (!SPECIAL.test(json)) return json;
    let escaped = this.current.get(json) ?? this.previous.get(json);
    if (escaped === undefined) escaped = escapeJson(json);
    this.current.set(json, escaped);
    return escaped;
  }

  /** After a build: keep what it used, forget the rest. */
  rotate(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

const SPECIAL = /[<\u2028\u2029]/;

function escapeJson(json: string): string {
  // Each pass only when needed: on a 9 MiB page an unneeded regex pass costs more than the JSON.stringify.
  if (json.includes('<')) json = json.replace(/</g, '\\u003c');
  if (json.includes('\u2028')) json = json.replace(/\u2028/g, '\\u2028');
  if (json.includes('\u2029')) json = json.replace(/\u2029/g, '\\u2029');
  return json;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !('toJSON' in value)
  );
}
