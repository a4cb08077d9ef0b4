/** Copies examples/research as the repository tracks it into `dest`; returns `dest` (scripts/example-copy.js). */
export function copyExample(dest: string): string;
export const EXAMPLE: string;
