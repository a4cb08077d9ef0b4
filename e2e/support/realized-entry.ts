import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../core/hash/sha256';
import { hashOutputs, ownedFiles } from '../../core/receipts/outputs';
import { writeReceipt, type Receipt } from '../../core/receipts/receipt';

/** One realized entry for the results-cache tests (core/cache/*.spec.ts): a compute result directory and an export file. */
export const ENTRY = 'fit-baseline';
export const SIGNATURE = 'a'.repeat(64);
export const ROOTS = ['reports/tables/fit.tex', 'results/compute-fit'];

export interface RealizedOptions {
  /** Changes the result's bytes, as another run of a non-deterministic entry would. */
  estimate?: string;
  /** Extra files under the result directory: path -> content. */
  extra?: Record<string, string | Buffer>;
}

/** A workspace at `<parent>/<name>` holding the entry's outputs and a receipt for them, as core/run/run-entry.ts writes it. */
export function realizedWorkspace(parent: string, name: string, options: RealizedOptions = {}): { root: string; receipt: Receipt } {
  const root = join(parent, name);
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  write('results/compute-fit/estimates.json', `{"beta": ${options.estimate ?? '1.5'}}\n`);
  write('results/compute-fit/sidecar/log.txt', 'fit converged\n'.repeat(1000));
  write('reports/tables/fit.tex', '\\begin{tabular}\\end{tabular}\n');
  write('specs/fit.md', '# spec\n');
  for (const [path, content] of Object.entries(options.extra ?? {})) write(`results/compute-fit/${path}`, content);
  const receipt: Receipt = {
    entry: ENTRY,
    signature: SIGNATURE,
    command: 'python scripts/fit.py',
    exitCode: 0,
    start: '2025-01-01T00:00:00.000Z',
    end: '2025-01-01T00:00:01.000Z',
    durationMs: 1000,
    host: 'ci-runner',
    outputs: hashOutputs(root, ownedFiles(root, ROOTS)),
    inputs: { digest: 'd'.repeat(64), components: [] },
    upstream: [],
  };
  writeReceipt(root, receipt);
  return { root, receipt };
}

/** Path -> content digest ("dir" for folders, "link" for symlinks) of everything under `dir`: unchanged means this is equal. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        out[child] = 'dir';
        walk(child);
      } else out[child] = d.isSymbolicLink() ? 'link' : sha256(readFileSync(join(dir, child)));
    }
  };
  walk('');
  return out;
}
