#!/usr/bin/env node
/**
 * What one run executor process spends reading the workspace model, with and
 * without the parses createNodes left (plugin/cached-specs.ts): on the
 * workspace bench/generate.js writes (bench/.work/inferred, 5,000 entries),
 * after one `nx show projects` has filled the plugin's caches. Each
 * measurement is a fresh Node process (as a task's is), the two alternating.
 *
 * Usage: npm run build && node bench/generate.js && node bench/workspace-load.js [--rounds 5]
 */
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { arg, median } = require('./support');

const REPO = path.resolve(__dirname, '..');
const ROOT = path.join(__dirname, '.work', 'inferred');
const ROUNDS = Number(arg('rounds', '5'));

if (process.argv[2] === '--once') {
  const { loadWorkspace } = require(path.join(REPO, 'dist/core/workspace/load'));
  const { cachedSpecs } = require(path.join(REPO, 'dist/plugin/cached-specs'));
  const { registeredOptions } = require(path.join(REPO, 'dist/core/workspace/registration'));
  const options = registeredOptions(require(path.join(ROOT, 'nx.json'))).options;
  const started = process.hrtime.bigint();
  const model = process.argv[3] === 'reuse' ? loadWorkspace(ROOT, options, cachedSpecs(ROOT, options)) : loadWorkspace(ROOT, options);
  process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6, entries: model.entries.size }));
} else {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  const nxBin = require.resolve('nx/bin/nx', { paths: [ROOT] });
  execFileSync(process.execPath, [nxBin, 'show', 'projects'], { cwd: ROOT, env, stdio: 'ignore' });
  const once = (how) => JSON.parse(execFileSync(process.execPath, [__filename, '--once', how], { cwd: ROOT, env, encoding: 'utf8' }));
  const times = { parse: [], reuse: [] };
  let entries;
  for (let r = 0; r < ROUNDS; r++)
    for (const how of r % 2 ? ['reuse', 'parse'] : ['parse', 'reuse']) {
      const m = once(how);
      times[how].push(m.ms);
      entries = m.entries;
    }
  const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
  console.log(`loadWorkspace, ${entries} entries, ${ROUNDS} rounds, load ${require('node:os').loadavg()[0].toFixed(1)}`);
  console.log(`  every spec parsed:           ${fmt(times.parse)}`);
  console.log(`  createNodes' parses reused:  ${fmt(times.reuse)}`);
}
