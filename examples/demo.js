#!/usr/bin/env node
/**
 * `npm run demo`: runs the example research pipeline through Nx with the plugin
 * built from this checkout, in a temporary copy of examples/research (the
 * repository is left as it was found), then prints what it produced and where.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');
const { copyExample } = require('../scripts/example-copy');

const repo = join(__dirname, '..');
const example = copyExample(mkdtempSync(join(tmpdir(), 'specthis-demo-')));

// The copy registers `@specthis/nx` like any workspace would; resolve it to this checkout, and nx to the one installed here.
mkdirSync(join(example, 'node_modules', '@specthis'), { recursive: true });
symlinkSync(repo, join(example, 'node_modules', '@specthis', 'nx'), 'dir');
symlinkSync(join(repo, 'node_modules', 'nx'), join(example, 'node_modules', 'nx'), 'dir');
spawnSync('git', ['init', '-q'], { cwd: example });

const nxPackage = require.resolve('nx/package.json', { paths: [repo] });
const nxBin = join(nxPackage, '..', require(nxPackage).bin.nx);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
function nx(...args) {
  console.log(`\n$ nx ${args.join(' ')}   (in ${example})`);
  const r = spawnSync(process.execPath, [nxBin, ...args], { cwd: example, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

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
