import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = '@specthis/nx';
let packageRoot: string | undefined;

/**
 * The directory holding this package's package.json. Found by walking up from
 * this file because the same code runs from the source tree (ts-jest),
 * from `dist/` and from `node_modules/@specthis/nx/dist/`, at different depths.
 */
export function findPackageRoot(start: string = __dirname): string {
  if (packageRoot && start === __dirname) return packageRoot;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && readManifest(manifest)?.name === PACKAGE_NAME) {
      if (start === __dirname) packageRoot = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Could not find the ${PACKAGE_NAME} package root above ${start}; is the package installed completely?`);
    }
  }
}

/** The package's own version, for `specthis --version`. */
export function packageVersion(): string {
  return String(readManifest(path.join(findPackageRoot(), 'package.json'))?.version ?? 'unknown');
}

function readManifest(manifest: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(manifest, 'utf-8'));
  } catch {
    return undefined;
  }
}

/** Absolute path of a shipped template, e.g. `templatePath('specs', 'README.md')`. */
export function templatePath(...segments: string[]): string {
  return path.join(findPackageRoot(), 'templates', ...segments);
}

/**
 * Reads a template and fills its `{{key}}` placeholders. Templates are shared
 * by the generators and the CLI, so they use this one plain syntax, not EJS.
 */
export function readTemplate(segments: string[], values: Record<string, string>): string {
  const text = readFileSync(templatePath(...segments), 'utf-8');
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}
