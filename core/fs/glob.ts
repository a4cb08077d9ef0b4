/**
 * fast-glob, loaded on first use. The plugin's cold project graph never globs
 * (Nx hands it the spec files), and loading fast-glob's ~70 modules was ~10 ms
 * of it (bench/README.md, "Project graph").
 */
export const fastGlob = (): typeof import('fast-glob') => require('fast-glob');
