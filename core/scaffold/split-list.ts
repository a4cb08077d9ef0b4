/** `"a, b,,c"` -> `['a', 'b', 'c']`; the CLI passes lists as one comma-separated string. */
export function splitList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = Array.isArray(value) ? value : value.split(',');
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}
