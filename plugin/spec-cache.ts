import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CreateNodesResultArray } from '@nx/devkit';
import type { Spec } from '../core/spec/types';

/** All a warm run needs: createNodes' result (project edges included), for one exact set of spec hashes. */
export interface GraphCache {
  version: string;
  key: string;
  nodes: CreateNodesResultArray;
}

/** Spec file -> content hash and its parse, so a miss parses only the specs that changed. */
export interface ParseCache {
  version: string;
  specs: Record<string, { hash: string; spec: Spec }>;
}

/**
 * The parsed JSON at `path` when `valid` accepts it; undefined when missing, torn
 * or of another shape (only a slower run). With `head`, a file that does not start
 * with it is rejected before the (costly) parse.
 */
export function readJson<T>(path: string, valid: (value: unknown) => value is T, head?: string): T | undefined {
  try {
    // Read as bytes, then decode: about half the time of readFileSync(path, 'utf8') on a 10 MB file (Node 20).
    const bytes = readFileSync(path);
    if (head !== undefined && bytes.subarray(0, Buffer.byteLength(head)).toString('utf8') !== head) return undefined;
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

let writes = 0;
/** Write to a temporary file beside `path`, then rename: a reader sees the old file or the new one, never half of one. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.${++writes}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, path);
  } catch {
    // Read-only workspaces still get a graph.
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was written.
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isGraphCache =
  (version: string, key: string) =>
  (v: unknown): v is GraphCache =>
    isObject(v) && v.version === version && v.key === key && Array.isArray(v.nodes);
/** How a graph cache file for this version and key starts: the key is checked before 10 MB are parsed. */
const graphHead = (version: string, key: string) => JSON.stringify({ version, key }).slice(0, -1);

export const readGraphCache = (path: string, version: string, key: string) =>
  readJson(path, isGraphCache(version, key), graphHead(version, key));

export function writeGraphCache(path: string, cache: GraphCache): void {
  // Property order matters: version and key first, as graphHead expects.
  writeJsonAtomic(path, { version: cache.version, key: cache.key, nodes: cache.nodes });
}

export const isParseCache =
  (version: string) =>
  (v: unknown): v is ParseCache =>
    isObject(v) && v.version === version && isObject(v.specs);

/** A cached parse is used only if it still looks like a Spec; anything else is parsed again. */
export const isSpec = (v: unknown): v is Spec =>
  isObject(v) && typeof v.file === 'string' && Array.isArray(v.entries) && Array.isArray(v.diagnostics) && Array.isArray(v.dependsOn);
