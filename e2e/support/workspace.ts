import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample } from '../../scripts/example-copy';
import { e2eRoot, templateDir } from './paths';

/** An nx run in the background (TestWorkspace.nxAsync). */
export interface BackgroundNx {
  child: ChildProcess;
  output(): string;
  done: Promise<{ code: number | null; output: string }>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** A fresh git-backed Nx workspace holding a copy of the example project, with the packed plugin installed. */
export class TestWorkspace {
  private constructor(readonly root: string) {}

  static fromExample(name: string): TestWorkspace {
    const root = mkdtempSync(join(e2eRoot(), `${name}-`));
    // The example as the repository tracks it: what a demo or a developer ran there is never copied.
    copyExample(root);
    symlinkSync(join(templateDir(), 'node_modules'), join(root, 'node_modules'), 'dir');
    const ws = new TestWorkspace(root);
    ws.git('init', '-q', '-b', 'main');
    ws.commitAll('example project');
    return ws;
  }

  /** A workspace with nothing but an empty nx.json, as `init` finds a fresh repository. */
  static empty(name: string): TestWorkspace {
    const root = mkdtempSync(join(e2eRoot(), `${name}-`));
    writeFileSync(join(root, 'nx.json'), '{}\n');
    writeFileSync(join(root, 'package.json'), '{ "name": "empty", "private": true }\n');
    writeFileSync(join(root, '.gitignore'), 'node_modules\n');
    symlinkSync(join(templateDir(), 'node_modules'), join(root, 'node_modules'), 'dir');
    const ws = new TestWorkspace(root);
    ws.git('init', '-q', '-b', 'main');
    ws.commitAll('empty workspace');
    return ws;
  }

  /**
   * A `git clone` of this workspace's repository in a directory of its own, as a
   * colleague's or a CI runner's fresh checkout: committed files only, no
   * results, receipts or Nx cache; linked to the same installed packages.
   */
  clone(name: string): TestWorkspace {
    const root = mkdtempSync(join(e2eRoot(), `${name}-`));
    this.git('clone', '-q', this.root, root);
    // Whatever the clone brought at node_modules (the example ignores only a folder of that name, not a link), the template's install it is.
    rmSync(join(root, 'node_modules'), { recursive: true, force: true });
    symlinkSync(join(templateDir(), 'node_modules'), join(root, 'node_modules'), 'dir');
    return new TestWorkspace(root);
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  read(file: string): string {
    return readFileSync(this.path(file), 'utf8');
  }

  exists(file: string): boolean {
    return existsSync(this.path(file));
  }

  write(file: string, content: string | Buffer): void {
    writeFileSync(this.path(file), content);
  }

  /**
   * Runs the real nx CLI of the installed package, daemon off so each call sees
   * the files as they are now, its cache inside the workspace (Nx 24 defaults to
   * ~/.nx/<workspace>/cache) so each test's cache and run summary are its own.
   */
  nx(...args: string[]): RunResult {
    return this.nxEnv({}, ...args);
  }

  /** nx() with more environment variables (SPECTHIS_*, AWS_*). */
  nxEnv(env: Record<string, string>, ...args: string[]): RunResult {
    return this.exec(process.execPath, [this.nxBin(), ...args], { ...this.nxBaseEnv(), ...env });
  }

  /** nx() in the background, for a test that stops it or acts while it runs: its child, the output so far, and its end. */
  nxAsync(...args: string[]): BackgroundNx {
    return this.nxAsyncEnv({}, ...args);
  }

  /** nxAsync() with more environment variables; an undefined value removes the variable. */
  nxAsyncEnv(env: Record<string, string | undefined>, ...args: string[]): BackgroundNx {
    const child = spawn(process.execPath, [this.nxBin(), ...args], {
      cwd: this.root,
      env: { ...process.env, ...this.nxBaseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    return {
      child,
      output: () => output,
      done: new Promise((resolve) => child.on('close', (code) => resolve({ code, output }))),
    };
  }

  private nxBin(): string {
    const nxDir = join(templateDir(), 'node_modules', 'nx');
    return join(nxDir, JSON.parse(readFileSync(join(nxDir, 'package.json'), 'utf8')).bin.nx);
  }

  private nxBaseEnv(): Record<string, string> {
    return {
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      CI: 'true',
      FORCE_COLOR: '0',
      NX_CACHE_DIRECTORY: this.path('.nx', 'cache'),
    };
  }

  /** The tasks of the last nx run, from the run summary Nx writes into its cache directory: id, hash and cache status. */
  lastRun(): { taskId: string; hash: string; cacheStatus: string; status: number }[] {
    return JSON.parse(this.read('.nx/cache/run.json')).tasks;
  }

  /** Like nx(), but throws with the whole output when the command fails. */
  nxOk(...args: string[]): RunResult {
    const r = this.nx(...args);
    if (r.code !== 0) throw new Error(`nx ${args.join(' ')} exited ${r.code}\n${r.output}`);
    return r;
  }

  git(...args: string[]): RunResult {
    const r = this.exec('git', args, {
      GIT_AUTHOR_NAME: 'E2E',
      GIT_AUTHOR_EMAIL: 'e2e@example.org',
      GIT_COMMITTER_NAME: 'E2E',
      GIT_COMMITTER_EMAIL: 'e2e@example.org',
    });
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed\n${r.output}`);
    return r;
  }

  commitAll(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
  }

  exec(cmd: string, args: string[], env: Record<string, string | undefined> = {}): RunResult {
    const r = spawnSync(cmd, args, { cwd: this.root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    const stdout = r.stdout ?? '';
    const stderr = r.stderr ?? '';
    return { code: r.status ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` };
  }
}
