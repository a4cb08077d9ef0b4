import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireFreshDist } from '../../__fixtures__/fresh-dist';
import type { PageData } from '../page-model';
import { copyExample, EXAMPLE } from '../../../scripts/example-copy';

const REPO = join(__dirname, '..', '..', '..');
const RUN_ORDER = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];

/**
 * Runs every entry of the example through the real run (dist/, built by
 * `npm test` before jest), so outputs and receipts are what a researcher's
 * pipeline leaves. A child process, because the run is async and the fixtures
 * are not.
 */
function runExample(root: string): void {
  const dist = join(REPO, 'dist', 'core');
  // Missing is not enough: a dist/ older than the sources would test yesterday's run.
  requireFreshDist();
  const script = `
    const { loadWorkspace } = require(${JSON.stringify(join(dist, 'workspace', 'load'))});
    const { runEntry } = require(${JSON.stringify(join(dist, 'run', 'run-entry'))});
    const quiet = { info() {}, warn() {}, error: (m) => process.stderr.write(m + '\\n') };
    (async () => {
      for (const name of ${JSON.stringify(RUN_ORDER)}) {
        const r = await runEntry(process.argv[1], loadWorkspace(process.argv[1]), name, { log: quiet });
        if (!r.success) throw new Error(name + ' did not run: ' + r.outcome);
      }
    })().catch((e) => { console.error(e.message); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', script, root], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`running examples/research in ${root} failed:\n${(error as { stderr?: Buffer }).stderr?.toString() ?? error}`, {
      cause: error,
    });
  }
}

/** Copies of examples/research in temp directories (without its Nx cache), removed by `cleanup`. */
export class ExampleCopies {
  private roots: string[] = [];

  /** A fresh copy of the example with its pipeline run (outputs and receipts present), or a copy of another workspace as it is. */
  copy(from = EXAMPLE): string {
    const root = mkdtempSync(join(tmpdir(), 'specthis-dashboard-'));
    this.roots.push(root);
    if (from === EXAMPLE) {
      copyExample(root);
      runExample(root);
    } else {
      cpSync(from, root, { recursive: true, filter: (src) => !/[\\/](\.nx|node_modules)$/.test(src) });
    }
    return root;
  }

  cleanup(): void {
    this.roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true }));
  }
}

/** The data a page embeds. */
export function dataOf(html: string): PageData {
  const json = /<script type="application\/json" id="specthis-data">([\s\S]*?)<\/script>/.exec(html)![1];
  return JSON.parse(json);
}
