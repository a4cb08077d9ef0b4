/**
 * Names of the installed packages (scoped ones and those nested in another
 * package's node_modules included) whose package.json says `"type":
 * "module"`: the ones jest must transform (jest/esm-to-cjs.js). Read once per
 * jest start.
 */
const { readdirSync, readFileSync, realpathSync } = require('node:fs');
const { join } = require('node:path');

function esmPackages(nodeModules, names = new Set(), seen = new Set()) {
  // A linked package (this repo links itself as @specthis/nx) would otherwise be walked again and again.
  const real = realPath(nodeModules);
  if (!real || seen.has(real)) return [...names].sort();
  seen.add(real);
  const isModule = (name) => {
    try {
      return JSON.parse(readFileSync(join(nodeModules, name, 'package.json'), 'utf8')).type === 'module';
    } catch {
      return false;
    }
  };
  for (const dir of list(nodeModules)) {
    for (const name of dir.startsWith('@') ? list(join(nodeModules, dir)).map((n) => `${dir}/${n}`) : [dir]) {
      if (isModule(name)) names.add(name);
      esmPackages(join(nodeModules, name, 'node_modules'), names, seen);
    }
  }
  return [...names].sort();
}

function realPath(dir) {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

function list(dir) {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}

/** Regex source matching a path segment `/node_modules/<one of names>/`. */
function packagesPattern(names) {
  return `(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
}

module.exports = { esmPackages, packagesPattern };
