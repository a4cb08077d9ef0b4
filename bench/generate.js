#!/usr/bin/env node
/**
 * Writes two copies of one synthetic research workspace for bench/show-projects.js:
 *
 *   bench/.work/inferred/  nx.json registers @specthis/nx; no project.json anywhere
 *   bench/.work/static/    the same files, nx.json without the plugin, and one
 *                          project.json per spec directory holding exactly what the
 *                          plugin infers (computed with dist/, so run the build first)
 *   bench/.work/empty/     static/ plus one plugin that infers nothing: the cost of
 *                          any plugin worker process, ours aside
 *
 * 1,000 specs over 100 directories (specs/area-NN/), 5,000 entries, the scripts,
 * configs and host documents they name. Deterministic: same seed, same bytes.
 * The pipeline runs: every script is a small Python program that writes its
 * entries' declared outputs (a compute entry's JSON holds its `Keys:` at top
 * level) and appends the entry's name to `bench-runs.log`.
 *
 * --entries N alone scales the workspace at the same shape: N/5 specs over N/50
 * directories (5,000 -> 1,000 specs in 100 directories, the default; 500 -> 100 in 10).
 * --tbd marks every 7th compute entry `script TBD`, as the workspace once had;
 * off by default, so a full run can succeed. --out DIR writes the copies (and
 * counts.json) to DIR instead of bench/.work/.
 *
 * Usage: node bench/generate.js [--entries 5000] [--specs N/5] [--areas specs/10] [--seed 42] [--tbd] [--out DIR]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..');
const argText = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name, dflt) => (argText(name) === undefined ? dflt : Number(argText(name)));
const WORK = path.resolve(argText('out') ?? path.join(__dirname, '.work'));
const N_ENTRIES = arg('entries', 5000);
// Five entries a spec and ten specs a directory on average, whatever the size.
const N_SPECS = arg('specs', Math.max(1, Math.round(N_ENTRIES / 5)));
const N_AREAS = arg('areas', Math.max(1, Math.round(N_SPECS / 10)));
const SEED = arg('seed', 42);
const TBD = process.argv.includes('--tbd');

// mulberry32: small, seeded, good enough for shaping a workload.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const pad = (n) => String(n).padStart(2, '0');

/** The spec plan: per area, one report spec and the rest compute specs. */
function plan() {
  const perArea = Math.floor(N_SPECS / N_AREAS);
  const specs = [];
  for (let a = 0; a < N_AREAS; a++) {
    const area = `area-${pad(a)}`;
    const count = perArea + (a < N_SPECS % N_AREAS ? 1 : 0);
    for (let j = 0; j < count; j++) {
      const report = j === count - 1;
      const stem = report ? `report-a${pad(a)}` : `compute-a${pad(a)}-${pad(j)}`;
      specs.push({
        area,
        a,
        j,
        kind: report ? 'report' : 'compute',
        stem,
        specPath: `${area}/${stem}.md`,
        n: report ? int(1, 3) : int(1, 9),
        deps: [],
      });
    }
  }
  // Hit the entry total exactly: nudge random compute specs within 1..9.
  const compute = specs.filter((s) => s.kind === 'compute');
  let total = specs.reduce((n, s) => n + s.n, 0);
  const reports = specs.reduce((n, s) => n + (s.kind === 'report' ? s.n : 0), 0);
  if (N_ENTRIES < reports + compute.length || N_ENTRIES > reports + 9 * compute.length)
    throw new Error(`${N_ENTRIES} entries do not fit ${N_SPECS} specs in ${N_AREAS} directories (1-9 entries per compute spec)`);
  while (total !== N_ENTRIES) {
    const s = pick(compute);
    const step = total < N_ENTRIES ? 1 : -1;
    if (s.n + step < 1 || s.n + step > 9) continue;
    s.n += step;
    total += step;
  }
  // depends_on: only on compute specs earlier in (area, index) order, so the graph is a DAG;
  // mostly the same area, sometimes one or two areas back.
  const byArea = (a) => compute.filter((s) => s.a === a);
  for (const s of specs) {
    const here = byArea(s.a).filter((d) => d.j < s.j);
    const near = [...byArea(s.a - 1), ...byArea(s.a - 2)];
    const want = s.kind === 'report' ? int(1, 2) : int(0, 3);
    for (let k = 0; k < want; k++) {
      const pool = here.length && (rand() < 0.7 || !near.length) ? here : near;
      if (!pool.length) break;
      const d = pick(pool);
      if (!s.deps.includes(d)) s.deps.push(d);
    }
  }
  return specs;
}

function entryName(s, i) {
  return s.kind === 'report' ? `a${pad(s.a)}-table-${i + 1}` : `a${pad(s.a)}-${pad(s.j)}-e${i + 1}`;
}

/**
 * The script of a compute spec: one small Python program for all of its entries.
 * It writes the `Output:` of the entry named by `--entry`, a JSON object with the
 * entry's `Keys:` (coefficients, n_obs) at top level, and appends the name to
 * bench-runs.log. Deterministic bytes: the same run writes the same file.
 */
function computeScript(s) {
  return pythonScript(s, 'json, os, sys', 'result', `"results/${s.stem}-" + entry + "/estimates.json"`, [
    'with open(out, "w") as f:',
    '    json.dump({"coefficients": {"x": 0.5, "const": 1.0}, "n_obs": 100, "entry": entry}, f)',
  ]);
}

/** The export script of a report spec: writes `reports/tables/<entry>.tex` for the entry named by `--entry`. */
function exportScript(s) {
  return pythonScript(s, 'os, sys', 'table', '"reports/tables/" + entry + ".tex"', [
    'with open(out, "w") as f:',
    String.raw`    f.write("\\begin{tabular}{lr}\n\\toprule\n" + entry + " & 0.5 \\\\\n\\bottomrule\n\\end{tabular}\n")`,
  ]);
}

function pythonScript(s, modules, what, out, write) {
  const names = [...Array(s.n)].map((_, i) => entryName(s, i));
  return [
    `import ${modules}`,
    `# ${s.stem}: writes the ${what} of the entry named by --entry`,
    `ENTRIES = (${names.map((n) => `"${n}"`).join(', ')},)`,
    'entry = sys.argv[sys.argv.index("--entry") + 1]',
    'if entry not in ENTRIES:',
    `    sys.exit("${s.stem}: no entry " + entry)`,
    `out = ${out}`,
    'os.makedirs(os.path.dirname(out), exist_ok=True)',
    ...write,
    'with open("bench-runs.log", "a") as f:',
    String.raw`    f.write(entry + "\n")`,
    '',
  ].join('\n');
}

/** Every file of the workspace except nx.json / project.json, as path -> text. */
function render(specs) {
  const files = new Map();
  for (const s of specs) {
    const deps = s.deps.map((d) => d.specPath);
    const fm = [
      '---',
      `name: ${s.stem}`,
      `kind: ${s.kind}`,
      `title: Synthetic ${s.kind} ${s.stem}`,
      `depends_on: [${deps.join(', ')}]`,
      ...(s.kind === 'report' ? [`host_doc: reports/${s.area}.tex`, `section_label: sec:${s.area}`] : []),
      '---',
      '',
      `# ${s.kind === 'report' ? 'Tables' : 'Estimates'} for ${s.area}, part ${s.j}`,
      '',
      deps.length ? `Builds on ${deps.map((d) => `\`${d}\``).join(', ')}.` : 'Reads the raw extract under `data/`.',
      '',
    ];
    const body = [];
    if (s.kind === 'compute') {
      const script = `scripts/${s.area}/compute_${pad(s.j)}.py`;
      files.set(script, computeScript(s));
      body.push('## Script', '', `One script, \`${script}\`, serves every entry; \`--entry <name>\` selects it.`, '');
      body.push(s.n === 1 ? '## Entry' : '## Entries', '');
      for (let i = 0; i < s.n; i++) {
        const name = entryName(s, i);
        const workflows = i % 3 === 0 ? [`config/${s.area}.json`] : [];
        body.push(
          `### ${name}`,
          '',
          `Estimate number ${i + 1} of ${s.stem}, on the panel of ${s.area}.`,
          '',
          `- Script: \`${script}\``,
          `- Run: \`python3 ${script} --entry ${name}\``,
          `- Output: \`results/${s.stem}-${name}/estimates.json\``,
          '- Keys: `coefficients`, `n_obs`',
          ...(workflows.length ? [`- Workflows: ${workflows.map((w) => `\`${w}\``).join(', ')}`] : []),
          `- Status: ${TBD && i % 7 === 6 ? 'script TBD (waiting for the extract)' : 'script ready'}`,
          '',
        );
      }
      files.set(`config/${s.area}.json`, `{"area": "${s.area}"}\n`);
    } else {
      const script = `scripts/${s.area}/export_tables.py`;
      files.set(script, exportScript(s));
      files.set(
        `reports/${s.area}.tex`,
        `\\section{${s.area}}\\label{sec:${s.area}}\n${[...Array(s.n)].map((_, i) => `\\input{tables/${entryName(s, i)}}`).join('\n')}\n`,
      );
      body.push('## Artefact design', '', 'A bare booktabs tabular, one column per model.', '', s.n === 1 ? '## Entry' : '## Entries', '');
      for (let i = 0; i < s.n; i++) {
        const name = entryName(s, i);
        body.push(
          `### ${name}`,
          '',
          `Table ${i + 1} of the ${s.area} section.`,
          '',
          `- Export script: \`${script}\``,
          `- Run: \`python3 ${script} --entry ${name}\``,
          `- Export outputs: \`reports/tables/${name}.tex\``,
          '- Status: script ready',
          '',
        );
      }
    }
    files.set(`specs/${s.specPath}`, [...fm, ...body].join('\n'));
  }
  files.set('package.json', JSON.stringify({ name: 'specthis-bench', private: true }, null, 2) + '\n');
  files.set('.gitignore', 'node_modules\n.nx\n.specthis\nresults/\nreports/tables/\nbench-runs.log\n');
  return files;
}

function nxJson(plugin) {
  return JSON.stringify({ ...(plugin ? { plugins: [plugin] } : {}) }, null, 2) + '\n';
}

/**
 * A plugin with the same createNodes pattern as ours that returns nothing. Its absolute
 * path keeps Nx from treating it as a workspace-local plugin (which would make Nx read
 * every project.json first, a cost no installed plugin pays).
 */
const EMPTY_PLUGIN = path.join(WORK, 'empty-plugin.js');
const EMPTY_PLUGIN_SOURCE =
  "'use strict';\n// bench baseline: a plugin worker that infers nothing\nexports.name = 'empty';\nexports.createNodes = ['**/*.md', () => []];\n";

/**
 * One project.json per project the plugin infers. The plugin itself is asked, the way
 * Nx asks it (daemon off), so the static copy cannot drift from what it infers,
 * project edges (its implicitDependencies) included.
 */
async function staticProjects(root, mdFiles) {
  process.env.NX_DAEMON = 'false';
  process.env.NX_WORKSPACE_DATA_DIRECTORY = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-bench-'));
  process.chdir(root); // nx reads its workspace root from the cwd when first required
  const plugin = require(path.join(REPO, 'dist', 'index.js'));
  const { loadWorkspace } = require(path.join(REPO, 'dist', 'core', 'workspace', 'load'));
  const options = { specsDir: 'specs' };
  const model = loadWorkspace(root, options);
  const errors = model.specs.flatMap((s) => s.diagnostics.filter((d) => d.severity === 'error'));
  if (errors.length) throw new Error(`generated specs have errors, first: ${JSON.stringify(errors[0])}`);

  const nxJsonConfiguration = { plugins: [{ plugin: '@specthis/nx', options }] };
  const results = await plugin.createNodes[1](mdFiles, options, { workspaceRoot: root, nxJsonConfiguration, configFiles: mdFiles });
  const projects = {};
  for (const [, result] of results)
    for (const [projectRoot, p] of Object.entries(result.projects)) projects[p.name] = { name: p.name, root: projectRoot, ...p };
  fs.rmSync(process.env.NX_WORKSPACE_DATA_DIRECTORY, { recursive: true, force: true });
  return { model, projects: Object.values(projects).sort((a, b) => (a.root < b.root ? -1 : 1)) };
}

function writeTree(dir, files) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  // nx and @specthis/nx come from the repo's node_modules.
  fs.symlinkSync(path.relative(dir, path.join(REPO, 'node_modules')), path.join(dir, 'node_modules'));
}

function gitCommit(dir) {
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'synthetic workspace');
}

/** The package is the repo itself: <repo>/node_modules/@specthis/nx -> ../.. (`npm ci` removes it; show-projects.js calls this too). */
function linkSelf() {
  const link = path.join(REPO, 'node_modules', '@specthis', 'nx');
  if (fs.existsSync(path.join(link, 'package.json'))) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true });
  fs.symlinkSync('../..', link);
}

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist', 'index.js'))) throw new Error('dist/ missing: run `npm run build` first');
  linkSelf();
  const specs = plan();
  const files = render(specs);

  const inferred = path.join(WORK, 'inferred');
  writeTree(inferred, new Map([...files, ['nx.json', nxJson({ plugin: '@specthis/nx', options: { specsDir: 'specs' } })]]));
  const { model, projects } = await staticProjects(
    inferred,
    [...files.keys()].filter((f) => f.endsWith('.md')),
  );

  const staticDir = path.join(WORK, 'static');
  const projectFiles = projects.map((p) => [`${p.root}/project.json`, JSON.stringify(p, null, 2) + '\n']);
  writeTree(staticDir, new Map([...files, ['nx.json', nxJson(undefined)], ...projectFiles]));
  const emptyDir = path.join(WORK, 'empty');
  fs.writeFileSync(EMPTY_PLUGIN, EMPTY_PLUGIN_SOURCE);
  writeTree(emptyDir, new Map([...files, ['nx.json', nxJson(EMPTY_PLUGIN)], ...projectFiles]));

  for (const dir of [inferred, staticDir, emptyDir]) gitCommit(dir);

  const counts = {
    specFiles: model.specs.length,
    entries: model.entries.size,
    entryEdges: [...model.upstream.values()].reduce((n, u) => n + u.entries.length, 0),
    projects: projects.length,
    targets: projects.reduce((n, p) => n + Object.keys(p.targets).length, 0),
    files: files.size + 1,
  };
  fs.writeFileSync(path.join(WORK, 'counts.json'), JSON.stringify(counts, null, 2) + '\n');
  console.log(`wrote ${[inferred, staticDir, emptyDir].map((d) => path.relative(REPO, d)).join(', ')}:`, counts);
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
module.exports = { linkSelf };
