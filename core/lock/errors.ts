import { diagnostic, formatDiagnostic, type Diagnostic, type DiagnosticInit } from '../diagnostics/diagnostic';

/**
 * A lock file that cannot be trusted. Never read as "nothing certified": that
 * would let every drifted entry run as merely unbound. Carries the problem as
 * a diagnostic; the message is its terminal form.
 */
export class LockFileError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(file: string, init: DiagnosticInit) {
    const d = diagnostic('lock', file, init);
    super(formatDiagnostic(d));
    this.name = 'LockFileError';
    this.diagnostic = d;
  }

  get file(): string {
    return this.diagnostic.file;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}
