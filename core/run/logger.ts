/** Where runs report what they decide; `console` fits, and tests pass a collector. */
export interface RunLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
