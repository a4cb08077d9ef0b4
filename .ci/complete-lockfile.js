#!/usr/bin/env node
/**
 * This machine's npm registry serves only the platform packages of its own
 * platform (linux): `npm install` gets 404 for `@nx/nx-darwin-arm64` and the
 * like, leaves them out of package-lock.json, and `npm ci` then refuses the lock
 * as "out of sync" ("Missing: @nx/nx-darwin-arm64@ from lock file").
 * This adds an optional placeholder for every optional dependency the lock
 * lacks, so `npm ci` accepts it; npm skips them as uninstallable optionals.
 * Run it after any `npm install` that rewrites package-lock.json.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (packages[`node_modules/${name}`] || packages[nested]) continue;
    packages[`node_modules/${name}`] = { version: String(range).replace(/^[\^~=]/, ''), optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional placeholder${added === 1 ? '' : 's'}`);
