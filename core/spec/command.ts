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

/** A word that can only be a relative path: no shell syntax, no option dash, no URL, no `..`. */
const PATH_WORD = /^[A-Za-z0-9_@%+.,:/-]+$/;

type RunPathsOf = Pick<Entry, 'run' | 'script' | 'workflows' | 'outputs'>;

/**
 * The workspace paths a `Run:` command names besides the entry's own script,
 * workflow files and outputs: `config/a.yaml` in `python3 scripts/fit.py
 * --config=config/a.yaml`. `Run:` is a shell command, so what it runs may be
 * any file; each word that reads as a relative path (a `/` or an extension) is
 * a candidate, and the ones that are files at hashing time become inputs of
 * certification and of the Nx target (core/hash/inputs.ts, plugin/targets.ts).
 * Words are split on whitespace with quotes stripped; `--opt=value` gives
 * `value`. Sorted, unique.
 */
export function runPaths(entry: RunPathsOf): string[] {
  if (!entry.run) return [];
  // The analysis, the targets and certification each ask for every entry (15,000 calls at 5,000 entries).
  const last = computed.get(entry);
  if (
    last &&
    last.run === entry.run &&
    last.script === entry.script &&
    last.workflows === entry.workflows &&
    last.outputs === entry.outputs
  )
    return [...last.paths];
  const paths = wordsAsPaths(entry.run, entry);
  computed.set(entry, { run: entry.run, script: entry.script, workflows: entry.workflows, outputs: entry.outputs, paths });
  return [...paths];
}

const computed = new WeakMap<RunPathsOf, RunPathsOf & { paths: string[] }>();

function wordsAsPaths(run: string, entry: RunPathsOf): string[] {
  const known = new Set([entry.script, ...entry.workflows, ...entry.outputs]);
  const paths = new Set<string>();
  for (const raw of run.split(/\s+/)) {
    let word = raw.replace(/^['"]+|['"]+$/g, '');
    if (word.startsWith('-')) word = word.includes('=') ? word.slice(word.indexOf('=') + 1) : '';
    word = word.replace(/^(\.\/)+/, '');
    if (!word || !PATH_WORD.test(word) || word.includes('://') || word.startsWith('/')) continue;
    if (word.split('/').some((s) => s === '..' || s === '')) continue;
    if (!word.includes('/') && !/\.[A-Za-z0-9]{1,8}$/.test(word)) continue;
    if (!known.has(word)) paths.add(word);
  }
  return [...paths].sort();
}
