import type { Diagnostic } from '../diagnostics/diagnostic';
import type { SpecthisOptions } from './types';
import { readOptions } from './options';

/** The package name nx.json registers: `"@specthis/nx"`, or a subpath of it (`"@specthis/nx/plugin"`). */
export const PLUGIN_NAME = '@specthis/nx';

export function isPluginName(name: unknown): boolean {
  return typeof name === 'string' && (name === PLUGIN_NAME || name.startsWith(`${PLUGIN_NAME}/`));
}

/** The first `plugins` item of nx.json (as data) that registers this plugin, in string or object form. */
export function findRegistration(nxJson: unknown): { index: number; options: unknown } | undefined {
  const plugins = (nxJson as { plugins?: unknown } | undefined)?.plugins;
  if (!Array.isArray(plugins)) return undefined;
  for (let index = 0; index < plugins.length; index++) {
    const item = plugins[index] as unknown;
    if (isPluginName(item)) return { index, options: undefined };
    if (item && typeof item === 'object' && isPluginName((item as { plugin?: unknown }).plugin)) {
      return { index, options: (item as { options?: unknown }).options };
    }
  }
  return undefined;
}

/**
 * The one reader of the plugin's registration, for the executors, the
 * generators and the CLI: its options from nx.json, defaults applied (the
 * defaults too when it is not registered), and what is wrong with them.
 */
export function registeredOptions(nxJson: unknown): { options: SpecthisOptions; problems: Diagnostic[]; registered: boolean } {
  const found = findRegistration(nxJson);
  return { ...readOptions(found?.options), registered: found !== undefined };
}
