import type { Entry } from './types';

/** Interpreters chosen by script extension (templates/specs/README.md), compared case-insensitively. */
const INTERPRETERS: Record<string, string> = {
  '.py': 'python3',
  '.r': 'Rscript',
  '.jl': 'julia',
  '.sh': 'bash',
  '.js': 'node',
  '.mjs': 'node',
  '.cjs': 'node',
};

/** Characters a POSIX shell never treats specially in a word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for `/bin/sh -c`: as is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell command an entry runs from the workspace root: `Run:` verbatim
 * (the researcher owns its quoting), else an interpreter chosen by the
 * script's extension, else the script itself (it needs an executable bit
 * and a shebang). Undefined only for an entry with neither.
 */
export function entryCommand(entry: Pick<Entry, 'run' | 'script'>): string | undefined {
  if (entry.run) return entry.run;
  if (!entry.script) return undefined;
  const dot = entry.script.lastIndexOf('.');
  const ext = dot > entry.script.lastIndexOf('/') ? entry.script.slice(dot).toLowerCase() : '';
  const interpreter = INTERPRETERS[ext];
  // `./` so the shell runs the file instead of searching PATH for its name.
  return interpreter ? `${interpreter} ${shellQuote(entry.script)}` : shellQuote(`./${entry.script}`);
}
