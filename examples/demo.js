#!/usr/bin/env node
/**
 * `npm run demo`: runs the example research pipeline through Nx with the plugin
 * built from this checkout, then prints what it produced.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, lstatSync } = require('node:fs');
const { join, relative } = require('node:path');

const repo = join(__dirname, '..');
const example = join(__dirname, 'research');

// The example registers `@specthis/nx` like any workspace would; resolve it to this checkout.
const link = join(repo, 'node_modules', '@specthis', 'nx');
if (!existsSync(link)) {
  mkdirSync(join(link, '..'), { recursive: true });
  try {
    lstatSync(link);
  } catch {
    symlinkSync('../..', link, 'dir');
  }
}

const nxPackage = require.resolve('nx/package.json', { paths: [repo] });
const nxBin = join(nxPackage, '..', require(nxPackage).bin.nx);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
function nx(...args) {
  console.log(`\n$ nx ${args.join(' ')}   (in examples/research)`);
  const r = spawnSync(process.execPath, [nxBin, ...args], { cwd: example, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

nx('show', 'projects');
nx('run-many', '-t', 'compute', 'export', '--outputStyle=stream');

console.log('\nWhat the pipeline produced:');
const walk = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)])) : []);
for (const file of walk(join(example, 'results')).sort()) {
  const keys = file.endsWith('.json') ? Object.keys(JSON.parse(readFileSync(file, 'utf8'))).join(', ') : '';
  console.log(`  ${relative(example, file)}${keys ? `  {${keys}}` : ''}`);
}
for (const file of walk(join(example, 'reports', 'tables')).sort()) {
  console.log(`  ${relative(example, file)}\n${readFileSync(file, 'utf8').replace(/^/gm, '    ')}`);
}
console.log('Open examples/research/reports/paper.tex to see where the table lands (\\label{sec:results}).');

nx('run', 'specs:dashboard', '--outputStyle=stream');
console.log(`\nThe dashboard: file://${join(example, 'specs', 'specs.html')}\nLive, reloading on every save: (cd examples/research && npx nx run specs:serve), then http://127.0.0.1:8765`);
