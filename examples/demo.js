#!/usr/bin/env node
/**
 * `npm run demo`: runs the example research pipeline through Nx with the plugin
 * built from this checkout, in a temporary copy of examples/research (the
 * repository is left as it was found), then prints what it produced and where.
 * The run pushes every result to a results cache in a temporary folder (as CI
 * would, SPECTHIS_CACHE_URL); a second copy, a colleague's clone, then runs
 * the same targets and fetches every result from it without running a script.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');
const { copyExample } = require('../scripts/example-copy');

const repo = join(__dirname, '..');
const demo = mkdtempSync(join(tmpdir(), 'specthis-demo-'));
const resultsCache = join(demo, 'results-cache');
mkdirSync(resultsCache);

/** A copy of the example that registers `@specthis/nx` like any workspace would, resolved to this checkout, and nx to the one installed here. */
function workspace(name) {
  const root = copyExample(join(demo, name));
  mkdirSync(join(root, 'node_modules', '@specthis'), { recursive: true });
  symlinkSync(repo, join(root, 'node_modules', '@specthis', 'nx'), 'dir');
  symlinkSync(join(repo, 'node_modules', 'nx'), join(root, 'node_modules', 'nx'), 'dir');
  spawnSync('git', ['init', '-q'], { cwd: root });
  return root;
}
const example = workspace('research');

const nxPackage = require.resolve('nx/package.json', { paths: [repo] });
const nxBin = join(nxPackage, '..', require(nxPackage).bin.nx);
const baseEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
// CI writes, laptops read: the first copy only pushes, the colleague's only fetches.
const pushing = { ...baseEnv, SPECTHIS_CACHE_URL: `file://${resultsCache}`, SPECTHIS_CACHE_READ: '0' };
const fetching = { ...baseEnv, SPECTHIS_CACHE_URL: `file://${resultsCache}`, SPECTHIS_CACHE_WRITE: '0' };
function run(cwd, env, bin, args, shown) {
  console.log(`\n$ ${shown} ${args.join(' ')}   (in ${cwd})`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const nx = (...args) => run(example, pushing, nxBin, args, 'nx');
const specthis = (cwd, env, ...args) => run(cwd, env, join(repo, 'dist', 'cli', 'main.js'), args, 'specthis');

console.log(`The example (examples/research) is copied to ${example}; everything below runs there.`);
nx('show', 'projects');
nx('run-many', '-t', 'compute', 'export', '--outputStyle=stream');

console.log('\nWhat the pipeline produced:');
const walk = (dir) =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)])) : [];
for (const file of walk(join(example, 'results')).sort()) {
  const keys = file.endsWith('.json') ? Object.keys(JSON.parse(readFileSync(file, 'utf8'))).join(', ') : '';
  console.log(`  ${relative(example, file)}${keys ? `  {${keys}}` : ''}`);
}
for (const file of walk(join(example, 'reports', 'tables')).sort()) {
  console.log(`  ${relative(example, file)}\n${readFileSync(file, 'utf8').replace(/^/gm, '    ')}`);
}
console.log(`Open ${join(example, 'reports', 'paper.tex')} to see where the table lands (\\label{sec:results}).`);

nx('run', 'specs:dashboard', '--outputStyle=stream');
console.log(
  `\nThe dashboard: file://${join(example, 'specs', 'specs.html')}\nLive, reloading on every save: (cd ${example} && npx nx run specs:serve), then http://127.0.0.1:8765`,
);

// A colleague's clone: the same files, no results, no receipts; every result comes from the cache and no script runs.
const colleague = workspace('colleague');
console.log(`\nA colleague's copy of the example, ${colleague}, reads the results cache ${resultsCache}:`);
specthis(colleague, fetching, 'cache', 'status');
run(colleague, fetching, nxBin, ['run-many', '-t', 'compute', 'export', '--outputStyle=stream'], 'nx');
specthis(colleague, fetching, 'status');
const produced = [...walk(join(example, 'results')), ...walk(join(example, 'reports', 'tables'))].map((f) => relative(example, f)).sort();
const differ = produced.filter((f) => !existsSync(join(colleague, f)) || !readFileSync(join(colleague, f)).equals(readFileSync(join(example, f))));
const ran = walk(join(colleague, '.specthis', 'logs')).map((f) => relative(colleague, f));
if (differ.length || ran.length) {
  console.error(`\ndemo: the colleague's copy should hold every result byte for byte and have run nothing; differ: ${differ.join(', ') || 'none'}; ran: ${ran.join(', ') || 'none'}`);
  process.exit(1);
}
console.log(`\nThe colleague's ${produced.length} result files are byte-identical to the first copy's, and no script ran there (no run logs).`);
