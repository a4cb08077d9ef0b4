/** Option and file-name rules, kept apart from the parser so the plugin's warm path loads neither yaml nor fast-glob. */
import { closest } from '../spec/closest';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic';
import { DEFAULT_TARGET_NAMES, TARGET_NAME_OPTIONS, type TargetNames } from '../naming';
import { validateSlurmDefaults } from '../spec/resources';
import { parseCacheUrl } from './cache-url';
import { DEFAULT_OPTIONS, type CacheOptions, type SpecthisOptions } from './types';

/** Files under specsDir that are documentation, not specs. */
const NOT_SPECS = /^(readme|agents|claude)\.md$/i;

/** True for a workspace-relative `.md` path under specsDir that is a spec (not `_generated`, not README/AGENTS). */
export function isSpecFile(file: string, specsDir: string): boolean {
  const prefix = specsDir === '.' || specsDir === '' ? '' : `${specsDir.replace(/\/+$/, '')}/`;
  if (!file.startsWith(prefix) || !file.toLowerCase().endsWith('.md')) return false;
  const parts = file.slice(prefix.length).split('/');
  const base = parts[parts.length - 1];
  return !parts.some((p) => p.startsWith('_') || p.startsWith('.') || p === 'node_modules') && !NOT_SPECS.test(base);
}

/**
 * The one check of a specsDir value, for nx.json, the generators and the CLI
 * alike: a relative POSIX path inside the workspace. `./a/b/` reads as `a/b`;
 * `.` and the empty string mean the workspace root. Undefined when the value
 * is not a path inside the workspace.
 */
export function canonicalSpecsDir(value: string): string | undefined {
  const trimmed = value
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return '.';
  const segments = trimmed.split('/');
  const bad =
    trimmed.includes('\\') ||
    /^[A-Za-z]:/.test(trimmed) ||
    trimmed.startsWith('/') ||
    segments.some((s) => s === '' || s === '.' || s === '..' || /\s/.test(s));
  return bad ? undefined : trimmed;
}

/** A spec's path relative to specsDir, the form `depends_on` uses: `models/compute-mincer.md`. */
export function specPathOf(file: string, specsDir: string): string {
  return specsDir === '.' || specsDir === '' ? file : file.slice(specsDir.length + 1);
}

/** Nx target names the plugin may take: what `nx run project:target` can address, and never our `--` separator. */
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const KNOWN = ['specsDir', 'requireCertified', 'runner', 'slurm', 'cache', ...Object.values(TARGET_NAME_OPTIONS)];
const CACHE_KEYS = ['url', 'region', 'endpoint', 'read', 'write'];
const CACHE_EXAMPLE = '"cache": { "url": "s3://lab-results/wages", "region": "eu-west-1", "read": true, "write": false }';

/**
 * The plugin's options from nx.json, defaults applied, and a diagnostic for
 * each value of the wrong form (naming nx.json, the key and the right form).
 * A wrong value falls back to its default, so the caller decides whether a
 * problem stops it.
 */
export function readOptions(raw: unknown, file = 'nx.json'): { options: SpecthisOptions; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const values = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const problem = (key: string, reason: string, expected: string, received: unknown) =>
    problems.push(
      diagnostic('options', file, {
        rule: 'options-invalid',
        reason: `plugin option "${key}" of @specthis/nx ${reason}`,
        expected,
        received: JSON.stringify(received) ?? String(received),
      }),
    );
  if (raw !== undefined && raw !== null && values !== raw) {
    problem('options', 'must be an object', '{ "plugin": "@specthis/nx", "options": { "specsDir": "specs" } }', raw);
  }
  for (const key of Object.keys(values).sort()) {
    if (KNOWN.includes(key)) continue;
    const near = closest(key, KNOWN);
    problem(key, `is not an option${near ? `; did you mean "${near}"?` : ''}`, `one of: ${KNOWN.join(', ')}`, key);
  }
  let specsDir = DEFAULT_OPTIONS.specsDir;
  if (values.specsDir !== undefined) {
    const canonical = typeof values.specsDir === 'string' ? canonicalSpecsDir(values.specsDir) : undefined;
    if (canonical === undefined) {
      problem(
        'specsDir',
        'is not a relative POSIX path inside the workspace',
        '"specsDir": "specs" (or "research/specs", or "." for the root)',
        values.specsDir,
      );
    } else specsDir = canonical;
  }
  let requireCertified = DEFAULT_OPTIONS.requireCertified;
  if (values.requireCertified !== undefined) {
    if (typeof values.requireCertified === 'boolean') requireCertified = values.requireCertified;
    else problem('requireCertified', 'is true or false', '"requireCertified": true', values.requireCertified);
  }
  const targetNames = { ...DEFAULT_TARGET_NAMES };
  for (const [which, key] of Object.entries(TARGET_NAME_OPTIONS) as [keyof TargetNames, string][]) {
    const value = values[key];
    if (value === undefined) continue;
    if (typeof value === 'string' && TARGET_NAME.test(value) && !value.includes('--')) targetNames[which] = value;
    else
      problem(
        key,
        'is not a target name',
        `"${key}": "${DEFAULT_TARGET_NAMES[which]}" (letters, digits, \`.\`, \`_\`, \`-\`, never \`--\`)`,
        value,
      );
  }
  const taken = new Map<string, string>();
  for (const [which, name] of Object.entries(targetNames) as [keyof TargetNames, string][]) {
    const other = taken.get(name);
    if (other) {
      problem(TARGET_NAME_OPTIONS[which], `names the same target as "${other}"`, 'a different name for each target', name);
      targetNames[which] = DEFAULT_TARGET_NAMES[which];
    }
    taken.set(name, TARGET_NAME_OPTIONS[which]);
  }
  let runner = DEFAULT_OPTIONS.runner;
  if (values.runner !== undefined) {
    if (values.runner === 'local' || values.runner === 'slurm') runner = values.runner;
    else problem('runner', 'is "local" or "slurm"', '"runner": "slurm"', values.runner);
  }
  let slurm = DEFAULT_OPTIONS.slurm;
  if (values.slurm !== undefined) {
    const checked = validateSlurmDefaults(values.slurm);
    for (const p of checked.problems) problem('slurm', `has a value that cannot be used: ${p.problem}`, p.expected, p.received);
    slurm = checked.defaults;
  }
  const cache = values.cache === undefined ? undefined : readCacheOption(values.cache, problem);
  return { options: { specsDir, requireCertified, targetNames, runner, slurm, ...(cache ? { cache } : {}) }, problems };
}

/** The `cache` option, or undefined (with a problem for each wrong part) when it cannot be used. */
function readCacheOption(
  raw: unknown,
  problem: (key: string, reason: string, expected: string, received: unknown) => void,
): CacheOptions | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem('cache', 'must be an object', CACHE_EXAMPLE, raw);
    return undefined;
  }
  const value = raw as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(value).sort()) {
    if (CACHE_KEYS.includes(key)) continue;
    const near = closest(key, CACHE_KEYS);
    problem(
      `cache.${key}`,
      `is not an option${near ? `; did you mean "cache.${near}"?` : ''}`,
      `keys of "cache": ${CACHE_KEYS.join(', ')}`,
      key,
    );
    ok = false;
  }
  if (typeof value.url !== 'string') {
    problem('cache.url', 'is missing or not a string', CACHE_EXAMPLE, value.url);
    return undefined;
  }
  // The form only: a relative path is resolved against the workspace root when the cache is opened.
  const parsed = parseCacheUrl(value.url, '/');
  if (!parsed.ok) {
    problem('cache.url', parsed.problem, parsed.expected, value.url);
    ok = false;
  }
  for (const key of ['region', 'endpoint'] as const) {
    if (value[key] !== undefined && (typeof value[key] !== 'string' || value[key] === '')) {
      problem(
        `cache.${key}`,
        'is not a non-empty string',
        key === 'region' ? '"region": "eu-west-1"' : '"endpoint": "https://s3.example.org"',
        value[key],
      );
      ok = false;
    }
  }
  if (typeof value.endpoint === 'string' && !/^https?:\/\/[^\s/]+/.test(value.endpoint)) {
    problem('cache.endpoint', 'is not an http(s) URL', '"endpoint": "https://s3.example.org"', value.endpoint);
    ok = false;
  }
  for (const key of ['read', 'write'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') {
      problem(`cache.${key}`, 'is true or false', `"${key}": true`, value[key]);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    url: value.url,
    ...(typeof value.region === 'string' ? { region: value.region } : {}),
    ...(typeof value.endpoint === 'string' ? { endpoint: value.endpoint } : {}),
    read: value.read !== false,
    write: value.write !== false,
  };
}

/** The options with defaults applied; values of the wrong form read as their defaults (readOptions reports them). */
export function normalizeOptions(raw: unknown): SpecthisOptions {
  return readOptions(raw).options;
}
