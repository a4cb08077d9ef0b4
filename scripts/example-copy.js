'use strict';
/**
 * Copies the example workspace as the repository tracks it, and nothing a run
 * left behind (results, receipts, `.nx/`, the generated dashboard): the demo
 * and every test start from the same tree on every machine, whatever ran in
 * examples/research before. Outside a git checkout (a copy without `.git`),
 * it copies everything but those run products.
 */
const { execFileSync } = require('node:child_process');
const { copyFileSync, cpSync, existsSync, mkdirSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const REPO = join(__dirname, '..');
const EXAMPLE = join(REPO, 'examples', 'research');
/** What a run of the example produces; never copied. */
const PRODUCED = /[\\/](\.nx|node_modules|results|tables|\.specthis|_index\.json|_routing\.json|specs\.html)$/;

/** The example's tracked files, relative to it; undefined outside a git checkout. */
function trackedFiles() {
  try {
    const prefix = relative(REPO, EXAMPLE);
    const out = execFileSync('git', ['ls-files', '-z', '--', prefix], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    // Tracked and still there: a file deleted in the working tree is not copied.
    const files = out
      .split('\0')
      .filter((f) => f.startsWith(`${prefix}/`) && existsSync(join(REPO, f)))
      .map((f) => f.slice(prefix.length + 1));
    return files.length ? files : undefined;
  } catch {
    return undefined;
  }
}

/** Copies examples/research into `dest` (created if needed); returns `dest`. */
function copyExample(dest) {
  mkdirSync(dest, { recursive: true });
  const files = trackedFiles();
  if (!files) {
    cpSync(EXAMPLE, dest, { recursive: true, filter: (src) => !PRODUCED.test(src) });
    return dest;
  }
  for (const file of files) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(EXAMPLE, file), join(dest, file));
  }
  return dest;
}

module.exports = { copyExample, EXAMPLE };
