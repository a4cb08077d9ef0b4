import { statSync } from 'node:fs';

/** True for an existing regular file (following links); false for anything else or an unreadable path. */
export function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
