import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { loadWorkspace } from '../../workspace/load';

/** A small real pipeline on disk: `clean` -> `fit`, plus a `todo` entry that is script TBD. */
/** A stream that swallows a command's output, so tests read only what they capture. */
export const devNull = () => new Writable({ write: (_c, _e, done) => done() });

export const PIPELINE: Record<string, string> = {
  'specs/compute-clean.md': `---
name: compute-clean
kind: compute
---

## Script

Cleans the panel.

## Entry

### clean
- Script: \`scripts/clean.py\`
- Output: \`results/compute-clean-clean/panel.json\`
- Keys: \`rows\`
- Status: script ready
`,
  'specs/compute-fit.md': `---
name: compute-fit
kind: compute
depends_on: [compute-clean.md]
---

## Script

Fits on the clean panel.

## Entries

### fit
- Script: \`scripts/fit.py\`
- Output: \`results/compute-fit-fit/estimates.json\`
- Keys: \`beta\`, \`n\`
- Workflows: \`config/fit.json\`
- Status: script ready

### todo
- Script: \`scripts/todo.py\`
- Output: \`results/compute-fit-todo/out.json\`
- Status: script TBD — waiting for the 2024 extract
`,
  'scripts/clean.py': `import json, os
os.makedirs("results/compute-clean-clean", exist_ok=True)
json.dump({"rows": 3}, open("results/compute-clean-clean/panel.json", "w"))
open("results/compute-clean-clean/rows.csv", "w").write("1\\n2\\n3\\n")
print("clean: wrote 3 rows")
`,
  'scripts/fit.py': `import json, os
panel = json.load(open("results/compute-clean-clean/panel.json"))
os.makedirs("results/compute-fit-fit", exist_ok=True)
json.dump({"beta": 0.5, "n": panel["rows"]}, open("results/compute-fit-fit/estimates.json", "w"))
`,
  'config/fit.json': '{"alpha": 0.05}\n',
};

export class TempWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'specthis-ws-'));

  constructor(files: Record<string, string> = PIPELINE) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), text);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  /** Replaces text in a file, failing loudly when the text is not there so a test cannot pass vacuously. */
  edit(path: string, from: string, to: string): void {
    const text = this.read(path);
    if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
    this.write(path, text.replace(from, to));
  }

  remove(path: string): void {
    rmSync(join(this.root, path), { recursive: true, force: true });
  }

  model() {
    return loadWorkspace(this.root, { specsDir: 'specs' });
  }

  entry(name: string) {
    const model = this.model();
    const entry = model.entries.get(name);
    if (!entry) throw new Error(`no entry ${name}: ${JSON.stringify(model.specs.map((s) => s.diagnostics))}`);
    return { model, entry };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
