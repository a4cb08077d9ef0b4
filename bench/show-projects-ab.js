#!/usr/bin/env node
/**
 * A paired A/B of warm `nx show projects --json` between workspaces under
 * bench/.work/, interleaved round by round in rotating order: the way to tell
 * a change of a few percent, which separate runs of bench/show-projects.js on
 * a shared machine cannot (bench/README.md, "Warm under 1.05x"). Wall time and
 * the CPU of every Node process of a run (Nx and its plugin workers). Every
 * ratio is printed against the last workspace named, and between the first two.
 *
 * Usage: node bench/show-projects-ab.js --workspaces inferred,inferred-hook,empty [--rounds 25]
 * (a workspace such as inferred-hook is a copy of inferred/ whose node_modules
 * link leads to another build of the plugin; bench/README.md shows how.)
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { arg, median } = require('./support');

const WORK = path.join(__dirname, '.work');
const WORKSPACES = String(arg('workspaces', 'inferred,empty')).split(',');
const ROUNDS = Number(arg('rounds', 25));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'specthis-ab-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
const CPU_HOOK = path.join(TMP, 'cpu-hook.js');
fs.writeFileSync(
  CPU_HOOK,
  "process.once('exit', () => { const u = process.cpuUsage(); require('fs').appendFileSync(process.env.SPECTHIS_AB_CPU, `${(u.user + u.system) / 1e6}\\n`); });\n",
);

const nxBin = (ws) => {
  const pkg = require.resolve('nx/package.json', { paths: [path.join(WORK, ws)] });
  return path.join(path.dirname(pkg), require(pkg).bin.nx);
};

let runs = 0;
function showProjects(ws) {
  const cpuFile = path.join(TMP, `cpu-${++runs}`);
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    SPECTHIS_AB_CPU: cpuFile,
    NODE_OPTIONS: `--require ${CPU_HOOK}`,
  };
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [nxBin(ws), 'show', 'projects', '--json'], {
    cwd: path.join(WORK, ws),
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`nx show projects in ${ws} exited ${r.status}:\n${r.stderr}`);
  // Plugin workers may still be writing their line when nx exits.
  const until = Date.now() + 300;
  while (Date.now() < until);
  const cpu = fs
    .readFileSync(cpuFile, 'utf8')
    .trim()
    .split('\n')
    .map(Number)
    .reduce((a, b) => a + b, 0);
  return { wall, cpu, projects: JSON.parse(r.stdout).length };
}

for (const ws of WORKSPACES) showProjects(ws); // every cache warm before the first round
const results = Object.fromEntries(WORKSPACES.map((ws) => [ws, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < WORKSPACES.length; k++) {
    const ws = WORKSPACES[(k + round) % WORKSPACES.length];
    results[ws].push(showProjects(ws));
  }
  console.error(
    `round ${round + 1}/${ROUNDS}: ${WORKSPACES.map((ws) => `${ws} ${results[ws][round].wall.toFixed(2)}s/${results[ws][round].cpu.toFixed(2)}s`).join(', ')}`,
  );
}

const projects = new Set(WORKSPACES.map((ws) => results[ws][0].projects));
if (projects.size !== 1) throw new Error(`the workspaces differ in projects: ${[...projects].join(', ')}`);
console.log(
  `warm \`nx show projects --json\`, ${ROUNDS} rounds, ${projects.values().next().value} projects, load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
console.log('| workspace | wall median | CPU median |\n|---|---|---|');
for (const ws of WORKSPACES)
  console.log(`| ${ws} | ${median(results[ws].map((r) => r.wall)).toFixed(2)}s | ${median(results[ws].map((r) => r.cpu)).toFixed(2)}s |`);
const base = WORKSPACES[WORKSPACES.length - 1];
const pairs = WORKSPACES.slice(0, -1).map((ws) => [ws, base]);
if (WORKSPACES.length > 2) pairs.push([WORKSPACES[0], WORKSPACES[1]]);
console.log('\n| ratio | wall, medians | wall, per round | CPU, medians | CPU, per round |\n|---|---|---|---|---|');
for (const [a, b] of pairs) {
  const of = (ws, key) => results[ws].map((r) => r[key]);
  const ratio = (key) => (median(of(a, key)) / median(of(b, key))).toFixed(2);
  const perRound = (key) => median(of(a, key).map((x, i) => x / of(b, key)[i])).toFixed(2);
  console.log(`| ${a}/${b} | ${ratio('wall')}x | ${perRound('wall')}x | ${ratio('cpu')}x | ${perRound('cpu')}x |`);
}
