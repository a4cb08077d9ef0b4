/**
 * Cluster resources of an entry (templates/specs/README.md, `Resources:`; docs/architecture.md, "Cluster"): parsing and
 * validation of a `Resources:` value, of the plugin-level `slurm` defaults, and
 * their merge into the arguments of one submission.
 *
 *   parseResources('time=02:00:00 mem=8G cpus=4 partition=short')
 *     -> { resources: { time: '02:00:00', mem: '8G', cpus: 4, partition: 'short' }, problems: [] }
 *   validateSlurmDefaults({ partition: 'short', extraArgs: ['--exclusive'] }) -> { defaults, problems }
 *   mergeSubmission(defaults, resources)  -> SlurmSubmission (entry wins key by key)
 *   submissionArgs(submission)            -> ['--partition=short', '--time=02:00:00', ...]
 *
 * Problems are values, never thrown: the caller knows the file and line and
 * turns each into a diagnostic. None of this changes what an output means, so
 * nothing here is part of a hash.
 */

export const RESOURCE_KEYS = ['time', 'mem', 'cpus', 'partition', 'account', 'qos'] as const;
export type ResourceKey = (typeof RESOURCE_KEYS)[number];

export interface SlurmResources {
  /** As written, in one of SLURM's forms (`M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`). */
  time?: string;
  /** Megabytes by default, or with a K/M/G/T suffix (normalized to upper case); `0` is SLURM's "all of the node's memory". */
  mem?: string;
  cpus?: number;
  partition?: string;
  account?: string;
  qos?: string;
}

/** The plugin option `slurm` (docs/architecture.md, "Cluster"). */
export interface SlurmDefaults extends SlurmResources {
  /** Appended verbatim after the arguments built from resources, so they can override them. */
  extraArgs?: string[];
}

/** What one submission asks for: defaults and an entry's resources merged. */
export interface SlurmSubmission extends SlurmResources {
  extraArgs: string[];
}

export interface ResourceProblem {
  /** The key concerned, when the word had a recognisable one. */
  key?: string;
  problem: string;
  /** The right form, phrased to be shown after "expected". */
  expected: string;
  received: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const EXPECTED: Record<ResourceKey, string> = {
  time: 'a positive duration in one of SLURM forms M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (e.g. time=90, time=02:00:00, time=1-12)',
  mem: 'an integer with an optional K, M, G or T suffix, megabytes without one (e.g. mem=8G, mem=500M)',
  cpus: 'a positive integer (e.g. cpus=4)',
  partition: 'a name of letters, digits, _ . or - (e.g. partition=short)',
  account: 'a name of letters, digits, _ . or - (e.g. account=lab42)',
  qos: 'a name of letters, digits, _ . or - (e.g. qos=normal)',
};
const WORD_FORM = `key=value words separated by spaces, keys ${RESOURCE_KEYS.join(', ')} (e.g. time=02:00:00 mem=8G cpus=4 partition=short)`;

/** Parses a `Resources:` value; every word that is not a known key with a well-formed value is one problem. */
export function parseResources(text: string): { resources: SlurmResources; problems: ResourceProblem[] } {
  const resources: SlurmResources = {};
  const problems: ResourceProblem[] = [];
  const seen = new Set<string>();
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      problems.push({ problem: `"${word}" is not a key=value word`, expected: WORD_FORM, received: word });
      continue;
    }
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (!isResourceKey(key)) {
      problems.push({ key, problem: `unknown resource "${key}"`, expected: `one of ${RESOURCE_KEYS.join(', ')}`, received: word });
      continue;
    }
    if (seen.has(key)) {
      problems.push({ key, problem: `${key}= is given twice`, expected: `${key}= at most once`, received: word });
      continue;
    }
    seen.add(key);
    const problem = setResource(resources, key, value);
    if (problem) problems.push(problem);
  }
  return { resources, problems };
}

/**
 * Validates the plugin option `slurm` (an object from nx.json, so anything).
 * `cpus` may be a number or a numeric string; unknown keys are problems, as a
 * typo (`partiton`) would otherwise silently submit to the default partition.
 */
export function validateSlurmDefaults(value: unknown): { defaults: SlurmDefaults; problems: ResourceProblem[] } {
  const defaults: SlurmDefaults = {};
  const problems: ResourceProblem[] = [];
  if (value === undefined) return { defaults, problems };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({
      problem: 'the slurm option is not an object',
      expected: `an object with any of ${RESOURCE_KEYS.join(', ')}, extraArgs (e.g. { "partition": "short", "time": "02:00:00" })`,
      received: JSON.stringify(value) ?? String(value),
    });
    return { defaults, problems };
  }
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'extraArgs') {
      if (Array.isArray(raw) && raw.every((a) => typeof a === 'string')) defaults.extraArgs = [...raw];
      else
        problems.push({
          key,
          problem: 'slurm.extraArgs is not a list of strings',
          expected: 'a list of arguments for srun, one per item (e.g. ["--exclusive", "--constraint=avx2"])',
          received: JSON.stringify(raw),
        });
      continue;
    }
    if (!isResourceKey(key)) {
      problems.push({
        key,
        problem: `unknown slurm option "${key}"`,
        expected: `one of ${RESOURCE_KEYS.join(', ')}, extraArgs`,
        received: key,
      });
      continue;
    }
    if (typeof raw !== 'string' && !(key === 'cpus' && typeof raw === 'number')) {
      problems.push({ key, problem: `slurm.${key} is not a string`, expected: EXPECTED[key], received: JSON.stringify(raw) });
      continue;
    }
    const problem = setResource(defaults, key, String(raw));
    if (problem) problems.push({ ...problem, problem: `slurm.${key}: ${problem.problem}` });
  }
  return { defaults, problems };
}

/** Defaults overlaid by an entry's resources, key by key (an entry's `partition=` replaces the default partition only). */
export function mergeSubmission(defaults: SlurmDefaults | undefined, resources: SlurmResources | undefined): SlurmSubmission {
  const merged: SlurmSubmission = { extraArgs: [...(defaults?.extraArgs ?? [])] };
  for (const key of RESOURCE_KEYS) {
    const value = resources?.[key] ?? defaults?.[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

/**
 * The resource arguments of srun (and sbatch: the options are the same), in a
 * fixed order so a submission is reproducible, then `extraArgs` as given.
 * Each is one argv word: nothing here ever goes through a shell.
 */
export function submissionArgs(submission: SlurmSubmission): string[] {
  const args: string[] = [];
  if (submission.partition !== undefined) args.push(`--partition=${submission.partition}`);
  if (submission.account !== undefined) args.push(`--account=${submission.account}`);
  if (submission.qos !== undefined) args.push(`--qos=${submission.qos}`);
  if (submission.time !== undefined) args.push(`--time=${submission.time}`);
  if (submission.mem !== undefined) args.push(`--mem=${submission.mem}`);
  if (submission.cpus !== undefined) args.push(`--cpus-per-task=${submission.cpus}`);
  return [...args, ...submission.extraArgs];
}

/**
 * Seconds in a SLURM duration, or undefined when it is not one of the six forms.
 * The leading field is unbounded (`time=120:00` is 120 minutes, as SLURM reads
 * it); the fields after it are clock fields and must be below 60 (24 for hours).
 */
export function parseSlurmTime(text: string): number | undefined {
  const m = /^(?:(\d+)-(\d+)(?::(\d+)(?::(\d+))?)?|(\d+)(?::(\d+)(?::(\d+))?)?)$/.exec(text);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  if (m[1] !== undefined) {
    const [d, h, min, s] = [n(m[1])!, n(m[2])!, n(m[3]) ?? 0, n(m[4]) ?? 0];
    if (h >= 24 || min >= 60 || s >= 60) return undefined;
    return ((d * 24 + h) * 60 + min) * 60 + s;
  }
  const fields = [m[5], m[6], m[7]].filter((f): f is string => f !== undefined).map(Number);
  // M, M:S, H:M:S: the first field is minutes, minutes or hours.
  if (fields.length === 1) return fields[0] * 60;
  if (fields.length === 2) return fields[1] >= 60 ? undefined : fields[0] * 60 + fields[1];
  return fields[1] >= 60 || fields[2] >= 60 ? undefined : (fields[0] * 60 + fields[1]) * 60 + fields[2];
}

function isResourceKey(key: string): key is ResourceKey {
  return (RESOURCE_KEYS as readonly string[]).includes(key);
}

function setResource(target: SlurmResources, key: ResourceKey, value: string): ResourceProblem | undefined {
  const bad = (problem: string): ResourceProblem => ({ key, problem, expected: EXPECTED[key], received: `${key}=${value}` });
  if (value === '') return bad(`${key}= has no value`);
  switch (key) {
    case 'time': {
      const seconds = parseSlurmTime(value);
      if (seconds === undefined) return bad(`"${value}" is not a SLURM duration`);
      // SLURM reads a zero limit as "no limit at all", the opposite of what anyone writing time=0 means.
      if (seconds === 0) return bad('time=0 means "no time limit" to SLURM; leave time= out for the partition default');
      target.time = value;
      return undefined;
    }
    case 'mem':
      if (!/^\d+[KMGT]?$/i.test(value)) return bad(`"${value}" is not an amount of memory`);
      target.mem = value.toUpperCase();
      return undefined;
    case 'cpus':
      if (!/^[1-9]\d*$/.test(value)) return bad(`"${value}" is not a positive whole number of CPUs`);
      target.cpus = Number(value);
      return undefined;
    default:
      if (!NAME.test(value)) return bad(`"${value}" is not a valid ${key} name`);
      target[key] = value;
      return undefined;
  }
}
