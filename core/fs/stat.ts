import { statFile } from './read';

/** True for an existing regular file (following links); false for anything else or an unreadable path. */
export function isFile(abs: string): boolean {
  return statFile(abs).kind === 'file';
}

export function isDirectory(abs: string): boolean {
  return statFile(abs).kind === 'dir';
}
