import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_NAMES } from './commands';
import { EXIT } from './exit';
import { runCli } from './test-io';

describe('specthis: help, usage errors and exit codes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'specthis-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists every command and the exit codes, on stdout, exit 0', async () => {
    const r = await runCli(dir, '--help');
    expect(r.code).toBe(EXIT.ok);
    for (const name of COMMAND_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const code of ['0  ok', '1  findings', '2  usage error', '3  workspace error']) expect(r.stdout).toContain(code);
    expect(r.stderr).toBe('');
  });

  it.each(COMMAND_NAMES)('%s --help documents its usage and the exit codes', async (name) => {
    for (const argv of [
      [name, '--help'],
      ['help', name],
      [name, '-h'],
    ]) {
      const r = await runCli(dir, ...argv);
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toMatch(new RegExp(`^Usage: specthis ${name}`));
      expect(r.stdout).toContain('Exit codes:');
    }
  });

  it('no command prints the help on stderr and exits 2', async () => {
    const r = await runCli(dir);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('Usage: specthis <command>');
  });

  it('an unknown command names the known ones, exit 2', async () => {
    const r = await runCli(dir, 'stauts');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain(
      'unknown command "stauts"; the commands are status, run, audit, dashboard, serve, lock, cache, cache-server, init, install',
    );
  });

  it.each([
    [['status', '--bogus'], /Unknown option '--bogus'; see `specthis status --help`/],
    [['status', 'a', 'b'], /unexpected argument "b"/],
    [['init', '--specs-dir'], /argument missing/],
    [['init', '--specs-dir', '../out'], /invalid specs-dir[\s\S]*\[option-path\]/],
    [['install', '--agent', 'spec-auditor,nope'], /unknown agent "nope"/],
    [['lock'], /expected status, record or clear/],
    [['lock', 'record'], /name the entries to certify, or pass --all-ready/],
    [['lock', 'status', '--all'], /--all does not apply here/],
    [['audit', '--format', 'html'], /the format is markdown or json, got "html"/],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    const r = await runCli(dir, ...argv);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(EXIT.usage);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(dir, '--version');
    expect(r.stdout.trim()).toBe(require('../package.json').version);
  });
});
