import type { FileReport, ScaffoldFiles } from './files';

export const LOCAL_STATE_DIR = '.specthis/';

/** Any spelling that already ignores the directory: `.specthis`, `/.specthis/`, `.specthis/**`. */
const ALREADY = /^\/?\.specthis\/?(\*\*)?$/;

/**
 * Adds `.specthis/` (receipts, logs: machine-local) to `.gitignore` once,
 * creating the file if needed; undefined when it was already ignored.
 */
export function ignoreLocalState(files: ScaffoldFiles): FileReport | undefined {
  const current = files.read('.gitignore') ?? '';
  if (current.split(/\r?\n/).some((l) => ALREADY.test(l.trim()))) return undefined;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  files.write('.gitignore', `${current}${separator}# specthis: receipts, logs, local caches\n${LOCAL_STATE_DIR}\n`);
  return { path: '.gitignore', action: current === '' ? 'created' : 'updated' };
}
