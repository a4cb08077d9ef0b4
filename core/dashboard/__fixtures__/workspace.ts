import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PageData } from '../page-model';

const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'research');

/** Copies of examples/research in temp directories (without its Nx cache), removed by `cleanup`. */
export class ExampleCopies {
  private roots: string[] = [];

  /** A fresh copy of the example, or of another workspace. */
  copy(from = EXAMPLE): string {
    const root = mkdtempSync(join(tmpdir(), 'specthis-dashboard-'));
    this.roots.push(root);
    cpSync(from, root, { recursive: true, filter: (src) => !/[\\/](\.nx|node_modules)$/.test(src) });
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
