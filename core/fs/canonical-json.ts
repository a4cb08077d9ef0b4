/**
 * JSON with object keys sorted at every depth, two-space indented, with a
 * trailing newline: the same value always gives the same bytes, so receipts
 * diff cleanly and hash stably.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // No prototype: a key named `__proto__` (JSON.parse makes it an own key) stays a key, never the prototype.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) sorted[key] = sortKeys(v);
  }
  return sorted;
}
