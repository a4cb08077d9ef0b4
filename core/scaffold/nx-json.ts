import { findRegistration, PLUGIN_NAME, registeredOptions } from '../workspace/registration';
import type { ScaffoldFiles } from './files';
import { parseJsonc } from './jsonc';

export { PLUGIN_NAME };
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

/**
 * `specsDir` of the plugin's registration (core/workspace/registration.ts, the
 * one reader, so `@specthis/nx/<subpath>` counts and `""` means the root as it
 * does to the executors), if it is registered.
 */
export function registeredSpecsDir(files: ScaffoldFiles): string | undefined {
  const nxJson = readNxJson(files);
  return findRegistration(nxJson) ? registeredOptions(nxJson).options.specsDir : undefined;
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
  if (nxJson && findRegistration(nxJson)) return 'already-registered';
  if (!nxJson && !create) return 'no-nx-json';
  const item: PluginItem = specsDir === DEFAULT_SPECS_DIR ? { plugin: PLUGIN_NAME } : { plugin: PLUGIN_NAME, options: { specsDir } };
  const next = nxJson
    ? { ...nxJson, plugins: [...(nxJson.plugins ?? []), item] }
    : { $schema: './node_modules/nx/schemas/nx-schema.json', plugins: [item] };
  files.write(NX_JSON, `${JSON.stringify(next, null, 2)}\n`);
  return 'registered';
}
