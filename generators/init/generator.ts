import { formatFiles, logger, type Tree } from '@nx/devkit';
import { DEFAULT_SPECS_DIR, registeredSpecsDir, registerPlugin } from '../registration';
import { readTemplate } from '../template-path';
import { refuse, relativePath } from '../validate';
import type { InitGeneratorSchema } from './schema';

/** Written into specsDir; the plugin skips these names, so they are never read as specs. */
const DOCS = ['README.md', 'AGENTS.md'];
const IGNORED = '.specthis/';

export async function initGenerator(tree: Tree, schema: InitGeneratorSchema): Promise<void> {
  const specsDir = resolveSpecsDir(tree, schema.specsDir);
  if (registerPlugin(tree, specsDir)) logger.info(`Registered @specthis/nx in nx.json (specsDir: ${specsDir}).`);
  else logger.info('@specthis/nx is already registered in nx.json; left it as it is.');
  for (const doc of DOCS) writeDoc(tree, specsDir, doc);
  ignoreLocalState(tree);
  if (schema.agents) {
    logger.warn('Agents are not installed by init yet: run `nx g @specthis/nx:agents` once that generator is available.');
  }
  if (!schema.skipFormat) await formatFiles(tree);
}

/**
 * No schema default on purpose: re-running init without --specsDir must follow the
 * registered directory, and an explicit different one must not leave a second,
 * silently unused registration behind.
 */
function resolveSpecsDir(tree: Tree, requested: string | undefined): string {
  const found = registeredSpecsDir(tree);
  const registered = found === undefined ? undefined : relativePath(found, 'specsDir', 'specs');
  const specsDir = relativePath(requested ?? registered ?? DEFAULT_SPECS_DIR, 'specsDir', 'specs');
  if (registered !== undefined && specsDir !== registered) {
    refuse(
      `@specthis/nx is already registered in nx.json with specsDir \`${registered}\`; init does not register it a second time`,
      'specs-dir-conflict',
      `nx g @specthis/nx:init --specsDir=${registered} (or edit the plugin's options in nx.json first)`,
      requested ?? specsDir,
    );
  }
  return specsDir;
}

function writeDoc(tree: Tree, specsDir: string, doc: string): void {
  // Any case counts: readme.md and README.md are one file on macOS and Windows.
  const existing = tree.children(specsDir).find((c) => c.toLowerCase() === doc.toLowerCase());
  if (existing) {
    logger.info(`Kept the existing ${specsDir}/${existing}.`);
    return;
  }
  tree.write(`${specsDir}/${doc}`, readTemplate(['specs', doc], { specsDir }));
}

function ignoreLocalState(tree: Tree): void {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') ?? '' : '';
  const lines = current.split(/\r?\n/).map((l) => l.trim());
  if (lines.some((l) => /^\/?\.specthis\/?(\*\*)?$/.test(l))) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${current}${separator}# specthis: receipts, logs, local caches\n${IGNORED}\n`);
}

export default initGenerator;
