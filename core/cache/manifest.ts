import { isReceipt, type Receipt } from '../receipts/receipt';
import { byPath, insideRoots, relativePathProblem } from './paths';

/**
 * The manifest of one cached entry, `cache/<signature>/<entry>.manifest.json`
 * (docs/architecture.md, "Results cache"). Canonical JSON (core/fs/canonical-json.ts). It is written
 * after its archive, so its presence marks a complete entry, and it is what a
 * fetch checks every byte against: the archive's SHA-256 and size (never an
 * ETag: multipart ETags are not content hashes), then each file's.
 */
export const MANIFEST_FORMAT = 'specthis-cache/1';
/** Far above any real manifest (2,000 files take about 300 KB), far below what would hurt to hold in memory. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface ManifestFile {
  /** Workspace-relative POSIX path. */
  path: string;
  size: number;
  sha256: string;
  /** 0o644 or 0o755: the archive keeps only "executable or not" (core/cache/archive.ts). */
  mode: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  entry: string;
  signature: string;
  /** The receipt of the run that made the outputs; its outputs are exactly `files`. */
  receipt: Receipt;
  /** The entry's owned output roots when it was pushed (core/workspace/output-roots.ts). */
  roots: string[];
  archive: { sha256: string; size: number };
  /** Sorted by path. */
  files: ManifestFile[];
  /** Every directory member of the archive, sorted: the roots that are directories and all beneath them. */
  directories: string[];
  toolVersion: string;
  host: string;
  /** ISO 8601. */
  createdAt: string;
}

export const FILE_MODES: readonly number[] = [0o644, 0o755];
const SHA256 = /^[0-9a-f]{64}$/;
const KEYS = ['archive', 'createdAt', 'directories', 'entry', 'files', 'format', 'host', 'receipt', 'roots', 'signature', 'toolVersion'];

export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; problem: string };

/**
 * Checks a parsed manifest strictly: exactly the known fields, each well-formed;
 * entry, signature and roots equal to what the caller asked for; paths relative,
 * inside the roots, sorted and unique; and the receipt vouching for exactly the
 * manifest's files. A problem is one line, for a "corrupt manifest: …" miss.
 */
export function checkManifest(value: unknown, expect: { entry: string; signature: string; roots: readonly string[] }): ManifestCheck {
  const fail = (problem: string): ManifestCheck => ({ ok: false, problem });
  if (!isRecord(value)) return fail('not a JSON object');
  const keys = Object.keys(value).sort();
  if (keys.join() !== KEYS.join()) {
    const extra = keys.filter((k) => !KEYS.includes(k));
    const missing = KEYS.filter((k) => !keys.includes(k));
    return fail(`fields ${[...missing.map((k) => `missing ${k}`), ...extra.map((k) => `unknown ${k}`)].join(', ')}`);
  }
  const v = value;
  if (v.format !== MANIFEST_FORMAT)
    return fail(`format ${JSON.stringify(v.format)}, expected ${MANIFEST_FORMAT} (a newer specthis wrote it?)`);
  if (v.entry !== expect.entry) return fail(`it is for entry ${JSON.stringify(v.entry)}, not ${expect.entry}`);
  if (v.signature !== expect.signature) return fail(`it is for signature ${JSON.stringify(v.signature)}, not ${expect.signature}`);
  for (const k of ['toolVersion', 'host', 'createdAt'] as const) if (typeof v[k] !== 'string') return fail(`${k} is not a string`);
  if (Number.isNaN(Date.parse(v.createdAt as string))) return fail('createdAt is not a date');
  if (!isRecord(v.archive) || Object.keys(v.archive).sort().join() !== 'sha256,size') return fail('archive is not { sha256, size }');
  if (typeof v.archive.sha256 !== 'string' || !SHA256.test(v.archive.sha256)) return fail('archive.sha256 is not a SHA-256');
  if (!isSize(v.archive.size) || v.archive.size === 0) return fail('archive.size is not a positive integer');

  if (!isStringArray(v.roots)) return fail('roots is not a list of paths');
  const roots = [...expect.roots].sort(byPath);
  if (v.roots.join('\n') !== roots.join('\n'))
    return fail(`its output roots (${v.roots.join(', ')}) are not the entry's (${roots.join(', ')})`);

  if (!isStringArray(v.directories)) return fail('directories is not a list of paths');
  const seen = new Set<string>();
  const pathProblem = (path: string, previous: string | undefined): string | undefined => {
    const problem = relativePathProblem(path);
    if (problem) return `path ${JSON.stringify(path)}: ${problem}`;
    if (!insideRoots(path, roots)) return `path ${path} is outside the entry's outputs`;
    if (seen.has(path)) return `path ${path} is listed twice`;
    if (previous !== undefined && byPath(previous, path) >= 0) return `paths are not sorted at ${path}`;
    seen.add(path);
    return undefined;
  };
  let previous: string | undefined;
  for (const d of v.directories) {
    const problem = pathProblem(d, previous);
    if (problem) return fail(`directory ${problem}`);
    previous = d;
  }
  if (!Array.isArray(v.files)) return fail('files is not a list');
  previous = undefined;
  const files: ManifestFile[] = [];
  for (const f of v.files) {
    if (!isRecord(f) || Object.keys(f).sort().join() !== 'mode,path,sha256,size') return fail('a file is not { path, size, sha256, mode }');
    if (typeof f.path !== 'string') return fail('a file path is not a string');
    const problem = pathProblem(f.path, previous);
    if (problem) return fail(`file ${problem}`);
    if (!isSize(f.size)) return fail(`file ${f.path}: size is not a non-negative integer`);
    if (typeof f.sha256 !== 'string' || !SHA256.test(f.sha256)) return fail(`file ${f.path}: sha256 is not a SHA-256`);
    if (typeof f.mode !== 'number' || !FILE_MODES.includes(f.mode)) return fail(`file ${f.path}: mode ${f.mode} is not 0o644 or 0o755`);
    files.push(f as unknown as ManifestFile);
    previous = f.path;
  }
  const dirs = new Set(v.directories);
  // Every directory a file lies in must be a directory member, or be a root's ancestor (made on extraction).
  for (const path of [...v.directories, ...files.map((f) => f.path)]) {
    for (let parent = parentOf(path); parent !== undefined && insideRoots(parent, roots); parent = parentOf(parent)) {
      if (!dirs.has(parent)) return fail(`${path} lies in ${parent}, which is not among its directories`);
    }
  }

  if (!isReceipt(v.receipt)) return fail('receipt is not a well-formed receipt');
  const r = v.receipt;
  if (r.entry !== expect.entry || r.signature !== expect.signature) return fail('its receipt is for another entry or signature');
  const outputs = r.outputs.map((o) => `${o.path} ${o.size} ${o.sha256}`).join('\n');
  if (outputs !== files.map((f) => `${f.path} ${f.size} ${f.sha256}`).join('\n')) return fail("its receipt's outputs are not its files");
  return { ok: true, manifest: value as unknown as Manifest };
}

/** Parses and checks manifest bytes; see checkManifest. */
export function parseManifest(bytes: Buffer, expect: { entry: string; signature: string; roots: readonly string[] }): ManifestCheck {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  return checkManifest(value, expect);
}

function parentOf(path: string): string | undefined {
  const i = path.lastIndexOf('/');
  return i < 0 ? undefined : path.slice(0, i);
}

function isSize(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
