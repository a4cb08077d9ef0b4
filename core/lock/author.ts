import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

/**
 * Who certifies: the name given, else the workspace's `git config user.name`
 * (what the commit carrying the lock will say), else the OS login name.
 */
export function resolveAuthor(root: string, given?: string, env: NodeJS.ProcessEnv = process.env): string {
  const named = given?.trim();
  if (named) return named;
  try {
    const fromGit = execFileSync('git', ['config', 'user.name'], {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
    if (fromGit) return fromGit;
  } catch {
    // not a git repository, git not installed, or no user.name configured
  }
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
