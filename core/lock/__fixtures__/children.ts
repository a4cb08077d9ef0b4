import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');
/** The compiled lock module the child processes load (`npm test` builds dist/ before jest runs). */
export const DIST_LOCK = join(REPO, 'dist', 'core', 'lock', 'index.js');

export { requireFreshDist } from '../../__fixtures__/fresh-dist';

/**
 * Writes a CommonJS driver; `body` sees `lock` (the dist lock module), `dist`
 * (dist/ itself, for other modules), `root` (argv[2]) and `args` (the rest).
 */
export function writeDriver(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  const head = [
    `'use strict';`,
    `const dist = ${JSON.stringify(join(REPO, 'dist'))};`,
    `const lock = require(${JSON.stringify(DIST_LOCK)});`,
    'const root = process.argv[2];',
    'const args = process.argv.slice(3);',
  ];
  writeFileSync(file, `${head.join('\n')}\n${body}\n`);
  return file;
}

export function startDriver(driver: string, root: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [driver, root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the exit code (or signal) and everything the child wrote to stderr. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((done) => child.once('close', (code, signal) => done({ code, signal, stderr })));
}

/** Resolves once the child has written `count` lines to stdout. */
export function linesOut(child: ChildProcess, count: number): Promise<void> {
  let seen = 0;
  return new Promise((done, fail) => {
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString().split('\n').length - 1;
      if (seen >= count) done();
    });
    child.once('close', () => (seen >= count ? done() : fail(new Error(`child exited after ${seen} of ${count} lines`))));
  });
}
