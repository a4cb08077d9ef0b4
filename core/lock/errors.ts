/**
 * A lock file that cannot be trusted. Never read as "nothing certified": that
 * would let every drifted entry run as merely unbound.
 */
export class LockFileError extends Error {
  constructor(
    readonly file: string,
    /** 1-based; 0 when the problem is the file as a whole. */
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    readonly rule: string,
    readonly expected: string,
    readonly received?: string,
  ) {
    super(formatLockError(file, line, column, reason, rule, expected, received));
    this.name = 'LockFileError';
  }
}

/** Shaped like the spec diagnostics: place, what is wrong, the rule, the right form, what was there. */
function formatLockError(
  file: string,
  line: number,
  column: number,
  reason: string,
  rule: string,
  expected: string,
  received?: string,
): string {
  const place = line > 0 ? `${file}:${line}:${column}` : file;
  const lines = [
    `${place}: error: ${reason} [${rule}]`,
    ...expected.split('\n').map((l, i) => (i === 0 ? `  expected: ${l}` : `            ${l}`)),
  ];
  if (received !== undefined) lines.push(`  received: ${received.length > 120 ? `${received.slice(0, 119)}…` : received}`);
  return lines.join('\n');
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}
