import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

/**
 * Fails loudly when tests that run the compiled code in child processes would
 * load no code, or yesterday's: every source under core/ must have its
 * dist/ counterpart, built after it (`npm test` builds first).
 */
export function requireFreshDist(): void {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== '__fixtures__') walk(abs);
        continue;
      }
      if (!d.name.endsWith('.ts') || d.name.endsWith('.spec.ts') || d.name.endsWith('.d.ts')) continue;
      const rel = relative(REPO, abs);
      // Bundled for the browser by scripts/bundle-markdown.js, not compiled by tsc (tsconfig.json excludes them).
      if (/^core\/dashboard\/(markdown|markdown-browser|hast-links|raw-html)\.ts$/.test(rel)) continue;
      const built = join(REPO, 'dist', rel.replace(/\.ts$/, '.js'));
      if (!existsSync(built)) stale.push(`${built} is missing`);
      else if (statSync(built).mtimeMs < statSync(abs).mtimeMs) stale.push(`${built} is older than ${rel}`);
    }
  };
  walk(join(REPO, 'core'));
  if (stale.length) throw new Error(`${stale.slice(0, 3).join('; ')}: run \`npm run build\` before these tests (\`npm test\` does)`);
}
