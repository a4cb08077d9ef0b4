import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planCertification, recordCertifications } from '../../lock';
import { loadWorkspace } from '../../workspace/load';

/** What the watcher would report after an edit. */
export interface Change {
  changed: string[];
  structural: boolean;
}

/** Small deterministic PRNG (mulberry32): the same edits on every run. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random edits of examples/research of the kinds a session makes while the server runs, each returning what the watcher would report (undefined: not applicable now). */
export function editor(root: string, random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const originals = new Map<string, string | undefined>();
  const abs = (rel: string) => join(root, rel);
  const remember = (rel: string) =>
    originals.has(rel) || originals.set(rel, existsSync(abs(rel)) ? readFileSync(abs(rel), 'utf8') : undefined);
  const write = (rel: string, text: string): Change => {
    remember(rel);
    const added = !existsSync(abs(rel));
    const newDir = !existsSync(dirname(abs(rel)));
    mkdirSync(dirname(abs(rel)), { recursive: true });
    writeFileSync(abs(rel), text);
    return { changed: newDir ? [dirname(rel), rel] : [rel], structural: added };
  };
  const remove = (rel: string): Change | undefined => {
    if (!existsSync(abs(rel))) return undefined;
    remember(rel);
    rmSync(abs(rel));
    return { changed: [rel], structural: true };
  };
  const restore = (rel: string): Change | undefined => {
    const original = originals.get(rel);
    return original === undefined ? remove(rel) : write(rel, original);
  };
  const read = (rel: string) => readFileSync(abs(rel), 'utf8');
  const specs = [
    'specs/data/compute-clean.md',
    'specs/models/compute-mincer.md',
    'specs/paper/report-wage-table.md',
    'specs/definitions.md',
  ];
  const outputs = [
    'results/compute-clean-clean-panel/panel.json',
    'results/compute-mincer-mincer-baseline/estimates.json',
    'results/compute-mincer-mincer-with-region/estimates.json',
  ];
  const receipts = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'].map((e) => `.specthis/receipts/${e}.json`);
  const added: string[] = [];
  let n = 0;

  const edits: Record<string, () => Change | undefined> = {
    title: () => {
      const spec = pick(specs);
      return write(spec, read(spec).replace(/^title: .*$/m, `title: Retitled ${++n}`));
    },
    status: () => {
      const spec = pick(specs.slice(0, 3));
      const text = read(spec);
      const lines = text.split('\n');
      const at = lines.map((l, i) => (/^- Status: script (ready|TBD)/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!at.length) return undefined;
      const i = pick(at);
      lines[i] = lines[i].startsWith('- Status: script ready') ? `- Status: script TBD — edit ${++n}` : '- Status: script ready';
      return write(spec, lines.join('\n'));
    },
    prose: () => write('specs/definitions.md', `${read('specs/definitions.md')}\nMore prose ${++n}.\n`),
    script: () => {
      const script = pick(['scripts/clean_panel.py', 'scripts/fit_mincer.py', 'scripts/export_wage_table.py']);
      return random() < 0.2
        ? (remove(script) ?? restore(script))
        : write(script, `${existsSync(abs(script)) ? read(script) : ''}\n# edit ${++n}\n`);
    },
    workflow: () => {
      const file = pick(['config/mincer.json', 'data/wage_panel.csv']);
      return write(file, `${read(file)}\n`);
    },
    output: () => {
      const out = pick(outputs);
      const r = random();
      if (r < 0.3) return write(out, JSON.stringify({ estimate: n++, se: 1 }));
      if (r < 0.45) return write(out, '{ not json');
      if (r < 0.7) return remove(out) ?? restore(out);
      return restore(out);
    },
    receipt: () => {
      const receipt = pick(receipts);
      const r = random();
      if (r < 0.4 && existsSync(abs(receipt)))
        return write(
          receipt,
          read(receipt).replace(/"sha256": "([0-9a-f])/, (_, c: string) => `"sha256": "${c === '0' ? '1' : '0'}`),
        );
      if (r < 0.7) return remove(receipt) ?? restore(receipt);
      return restore(receipt);
    },
    lock: () => {
      const r = random();
      if (r < 0.5) {
        const model = loadWorkspace(root);
        const ready = [...model.entries.values()]
          .filter((e) => e.status === 'script ready' && !model.blocked.has(e.specFile))
          .map((e) => e.name);
        if (!ready.length) return undefined;
        remember('specs/_lock.json');
        const existed = existsSync(abs('specs/_lock.json'));
        if (existed && read('specs/_lock.json') === '{ not json') rmSync(abs('specs/_lock.json')); // recording refuses a lock that does not parse
        const plan = planCertification(
          root,
          model,
          {},
          { entries: [pick(ready)], author: 'Ada', now: new Date(Date.UTC(2026, 0, 1 + n++)) },
        );
        recordCertifications(root, 'specs', plan.records);
        return { changed: ['specs/_lock.json'], structural: !existed };
      }
      if (r < 0.7) return write('specs/_lock.json', '{ not json');
      return remove('specs/_lock.json');
    },
    addSpec: () => {
      const name = `extra-${++n}`;
      const rel = `specs/extra/compute-${name}.md`;
      added.push(rel);
      return write(
        rel,
        `---\nname: compute-${name}\nkind: compute\ntitle: Extra ${n}\ndepends_on: []\n---\n\n# Extra\n\n## Entry\n\n### ${name}\n\n- Script: \`scripts/fit_mincer.py\`\n- Output: \`results/compute-${name}-${name}/out.json\`\n- Workflows: \`config/mincer.json\`\n- Status: script ready\n`,
      );
    },
    removeSpec: () => (added.length ? remove(added.splice(Math.floor(random() * added.length), 1)[0]) : undefined),
    breakSpec: () => {
      const spec = 'specs/models/compute-mincer.md';
      const text = read(spec);
      return write(
        spec,
        text.includes('kind: [compute') ? text.replace('kind: [compute', 'kind: compute') : text.replace('kind: compute', 'kind: [compute'),
      );
    },
  };
  return { edits, pick };
}
