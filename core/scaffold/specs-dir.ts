import { DEFAULT_SPECS_DIR } from './nx-json';

export type SpecsDirChoice =
  { specsDir: string; conflict?: undefined } | { specsDir?: undefined; conflict: { registered: string; requested: string } };

/**
 * The specsDir init works with: the requested one, else the registered one,
 * else `specs`. No default on purpose: re-running init without an option must
 * follow the registered directory, and an explicit different one must not leave
 * a second, silently unused registration behind, so that is a conflict the
 * caller refuses in its own words. `normalize` validates and canonicalizes a
 * path (and throws on a bad one).
 */
export function chooseSpecsDir(
  registered: string | undefined,
  requested: string | undefined,
  normalize: (value: string) => string,
): SpecsDirChoice {
  const current = registered === undefined ? undefined : normalize(registered);
  const specsDir = normalize(requested ?? current ?? DEFAULT_SPECS_DIR);
  if (current !== undefined && specsDir !== current) return { conflict: { registered: current, requested: requested ?? specsDir } };
  return { specsDir };
}
