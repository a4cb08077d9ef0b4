import { diagnostic } from '../diagnostics/diagnostic';
import type { Diagnostic } from './types';

/** Specs are prose documents; anything larger is a mistake (a data dump, a log) and is refused unread. */
export const MAX_SPEC_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type Decoded = { text: string } | { diagnostic: Diagnostic };

export function tooLarge(file: string, size: number): Diagnostic {
  return diagnostic('spec', file, {
    reason: `spec is ${(size / 1024 / 1024).toFixed(1)} MiB; specs are read only up to ${MAX_SPEC_BYTES / 1024 / 1024} MiB`,
    rule: 'spec-too-large',
    expected: 'a Markdown spec of prose and field lines; keep data, logs and results in files the spec names',
  });
}

/** Decodes a spec's bytes as UTF-8 (BOM dropped, CRLF kept for the line splitter) or says where it is not. */
export function decodeSpec(file: string, bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_SPEC_BYTES) return { diagnostic: tooLarge(file, bytes.length) };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = countLines(bytes, bad);
    return {
      diagnostic: diagnostic('spec', file, {
        line,
        reason: `spec is not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad})`,
        rule: 'spec-encoding',
        expected: 'UTF-8 text; re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
      }),
    };
  }
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0 || i + n >= bytes.length) return i;
    for (let k = 1; k <= n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return Math.max(0, bytes.length - 1);
}
