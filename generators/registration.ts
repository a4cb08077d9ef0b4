import { readNxJson, updateNxJson, writeJson, type NxJsonConfiguration, type Tree } from '@nx/devkit';

export const PLUGIN_NAME = '@specthis/nx';
export const DEFAULT_SPECS_DIR = 'specs';

type PluginEntry = NonNullable<NxJsonConfiguration['plugins']>[number];

/** The plugin's `specsDir` in one nx.json `plugins` item; undefined when the item is another plugin. */
function specsDirOf(entry: PluginEntry): string | undefined {
  if (typeof entry === 'string') return entry === PLUGIN_NAME ? DEFAULT_SPECS_DIR : undefined;
  if (entry.plugin !== PLUGIN_NAME) return undefined;
  const options = (entry.options ?? {}) as { specsDir?: unknown };
  return typeof options.specsDir === 'string' && options.specsDir !== '' ? options.specsDir : DEFAULT_SPECS_DIR;
}

/** `specsDir` of the first registration of the plugin in nx.json, if it is registered. */
export function registeredSpecsDir(tree: Tree): string | undefined {
  for (const entry of readNxJson(tree)?.plugins ?? []) {
    const dir = specsDirOf(entry);
    if (dir !== undefined) return dir;
  }
  return undefined;
}

/**
 * Adds `{ plugin: '@specthis/nx', options: { specsDir } }` to nx.json unless the
 * plugin is already there; returns whether nx.json changed.
 *
 * Not `addPlugin`: in Nx 24 it is exported only from `@nx/devkit/internal`, it
 * needs a project graph plus our createNodes and runs them against the files on
 * disk (not the Tree), and what it buys, picking option values whose target names
 * do not collide, does not apply: our target names are fixed by the format. It
 * also skips its "already registered" check when given no option candidates.
 */
export function registerPlugin(tree: Tree, specsDir: string): boolean {
  if (registeredSpecsDir(tree) !== undefined) return false;
  const entry: PluginEntry = specsDir === DEFAULT_SPECS_DIR ? { plugin: PLUGIN_NAME } : { plugin: PLUGIN_NAME, options: { specsDir } };
  const nxJson = readNxJson(tree);
  if (!nxJson) {
    // updateNxJson silently does nothing when nx.json is missing.
    writeJson(tree, 'nx.json', { $schema: './node_modules/nx/schemas/nx-schema.json', plugins: [entry] });
    return true;
  }
  updateNxJson(tree, { ...nxJson, plugins: [...(nxJson.plugins ?? []), entry] });
  return true;
}
