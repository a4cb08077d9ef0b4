import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic';
import { parseCacheUrl, type CacheLocation } from './cache-url';
import type { CacheOptions } from './types';

/** The results cache a run or a command uses: where it is, and whether it may read and write. */
export interface CacheSettings {
  location: CacheLocation;
  region?: string;
  endpoint?: string;
  read: boolean;
  write: boolean;
}

const SWITCH = /^(0|1|true|false)$/;

/**
 * The plugin option `cache` with the environment's overrides applied, the
 * way CI and laptops differ (CI writes, laptops read): SPECTHIS_CACHE_URL
 * replaces the URL (and turns the cache on without an option),
 * SPECTHIS_CACHE_READ and SPECTHIS_CACHE_WRITE (0 or 1) replace the switches.
 * None of this is an input of any task: it changes where outputs come from,
 * never what they are. Undefined without a cache; a problem for a value of
 * the wrong form, naming the variable and the right form.
 */
export function cacheSettings(
  option: CacheOptions | undefined,
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): { settings?: CacheSettings; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const bad = (name: string, reason: string, expected: string, received: string) =>
    problems.push(
      diagnostic('options', '', { rule: 'options-invalid', reason: `environment variable ${name} ${reason}`, expected, received }),
    );
  const url = env.SPECTHIS_CACHE_URL !== undefined && env.SPECTHIS_CACHE_URL !== '' ? env.SPECTHIS_CACHE_URL : option?.url;
  const flag = (name: 'SPECTHIS_CACHE_READ' | 'SPECTHIS_CACHE_WRITE', fallback: boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (SWITCH.test(raw)) return raw === '1' || raw === 'true';
    bad(name, 'is 0 or 1', `${name}=0`, raw);
    return fallback;
  };
  const read = flag('SPECTHIS_CACHE_READ', option?.read ?? true);
  const write = flag('SPECTHIS_CACHE_WRITE', option?.write ?? true);
  if (url === undefined) return { problems };
  const parsed = parseCacheUrl(url, root);
  if (!parsed.ok) {
    if (url === env.SPECTHIS_CACHE_URL) bad('SPECTHIS_CACHE_URL', parsed.problem, parsed.expected, url);
    else
      problems.push(
        diagnostic('options', 'nx.json', {
          rule: 'options-invalid',
          reason: `plugin option "cache.url" of @specthis/nx: ${parsed.problem}`,
          expected: parsed.expected,
          received: url,
        }),
      );
    return { problems };
  }
  return {
    settings: {
      location: parsed.location,
      ...(option?.region ? { region: option.region } : {}),
      ...(option?.endpoint ? { endpoint: option.endpoint } : {}),
      read,
      write,
    },
    problems,
  };
}
