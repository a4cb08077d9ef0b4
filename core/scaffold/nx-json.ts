import type { ScaffoldFiles } from './files';
import { parseJsonc } from './jsonc';

export const PLUGIN_NAME = '@specthis/nx';
export const DEFAULT_SPECS_DIR = 'specs';
const NX_JSON = 'nx.json';

type PluginItem = string | { plugin?: unknown; options?: unknown };
interface NxJson {
  plugins?: PluginItem[];
  [key: string]: unknown;
}

/** nx.json as data; undefined when absent. Throws a readable error when it does not parse. */
export function readNxJson(files: ScaffoldFiles): NxJson | undefined {
  const text = files.read(NX_JSON);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (e) {
    throw new Error(`nx.json is not valid JSON (${(e as Error).message}); fix it, then run this again`, { cause: e });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('nx.json must hold a JSON object');
  return value as NxJson;
}

/** The plugin's `specsDir` in one `plugins` item; undefined when the item is another plugin. */
function specsDirOf(item: PluginItem): string | undefined {
  if (typeof item === 'string') return item === PLUGIN_NAME ? DEFAULT_SPECS_DIR : undefined;
  if (item?.plugin !== PLUGIN_NAME) return undefined;
  const options = (item.options ?? {}) as { specsDir?: unknown };
  return typeof options.specsDir === 'string' && options.specsDir !== '' ? options.specsDir : DEFAULT_SPECS_DIR;
}

/** `specsDir` of the first registration of the plugin, if it is registered. */
export function registeredSpecsDir(files: ScaffoldFiles): string | undefined {
  for (const item of readNxJson(files)?.plugins ?? []) {
    const dir = specsDirOf(item);
    if (dir !== undefined) return dir;
  }
  return undefined;
}

export type Registration = 'registered' | 'already-registered' | 'no-nx-json';

/**
 * Adds `{ plugin: '@specthis/nx', options: { specsDir } }` to nx.json unless
 * the plugin is already there (string or object form). A missing nx.json is
 * created only when `create` is set: the generator runs in an Nx workspace by
 * definition, the CLI may run in a plain repository.
 *
 * Not Nx's `addPlugin` (see docs/decisions.md): our target names are fixed,
 * so there are no option candidates to try, and this runs outside Nx too.
 */
export function registerPlugin(files: ScaffoldFiles, specsDir: string, create: boolean): Registration {
  const nxJson = readNxJson(files);
  if (nxJson && registeredSpecsDir(files) !== undefined) return 'already-registered';
  if (!nxJson && !create) return 'no-nx-json';
  const item: PluginItem = specsDir === DEFAULT_SPECS_DIR ? { plugin: PLUGIN_NAME } : { plugin: PLUGIN_NAME, options: { specsDir } };
  const next = nxJson
    ? { ...nxJson, plugins: [...(nxJson.plugins ?? []), item] }
    : { $schema: './node_modules/nx/schemas/nx-schema.json', plugins: [item] };
  files.write(NX_JSON, `${JSON.stringify(next, null, 2)}\n`);
  return 'registered';
}
