#!/usr/bin/env node
/**
 * Rewrites the table "Problems and their rules" of templates/specs/README.md
 * from the rule catalogue (core/diagnostics/rules.ts, compiled: run
 * `npm run build` first), one row and anchor per rule, in catalogue order.
 * core/diagnostics/rules.spec.ts fails until it is run after a rule is added.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const { RULES } = require(join(__dirname, '..', 'dist', 'core', 'diagnostics', 'rules'));
const file = join(__dirname, '..', 'templates', 'specs', 'README.md');
const HEADER = '| rule | severity | what it checks |';
const rows = Object.entries(RULES).map(([id, r]) => {
  const severity = r.audit ? `${r.severity} (audit: ${r.audit})` : r.severity;
  return `| <a id="${id}"></a>\`${id}\` | ${severity} | ${r.summary.replace(/\|/g, '\\|')} |`;
});
const text = readFileSync(file, 'utf8');
const at = text.indexOf(HEADER);
if (at < 0) throw new Error(`${file} has no "${HEADER}" table`);
writeFileSync(file, `${text.slice(0, at)}${HEADER}\n|---|---|---|\n${rows.join('\n')}\n`);
console.log(`rules-table: ${rows.length} rules in ${file}`);
