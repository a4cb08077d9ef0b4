import type { NxJsonConfiguration } from '@nx/devkit';
import { normalizeOptions } from '../../core/workspace/load';
import type { SpecthisOptions } from '../../core/workspace/types';

export const PLUGIN_NAME = '@specthis/nx';

/**
 * The options @specthis/nx is registered with in nx.json (string or object form),
 * defaults applied. Executors read them here rather than from target options,
 * because target options are hashed into every task of the project.
 */
export function pluginOptions(nxJson: NxJsonConfiguration | undefined): SpecthisOptions {
  for (const p of nxJson?.plugins ?? []) {
    const name = typeof p === 'string' ? p : p.plugin;
    if (name !== PLUGIN_NAME && !name.startsWith(`${PLUGIN_NAME}/`)) continue;
    return normalizeOptions(typeof p === 'string' ? undefined : ((p.options ?? undefined) as Partial<SpecthisOptions> | undefined));
  }
  return normalizeOptions(undefined);
}
