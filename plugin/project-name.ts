/** `specs` -> `specs`, `specs/models` -> `specs-models`: unique per directory and readable in `nx graph`. */
export function projectNameFor(dir: string): string {
  return dir.replace(/^\.\/?/, '').replace(/\//g, '-') || 'specs';
}
