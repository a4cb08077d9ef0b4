import { formatDiagnostic } from '../diagnostics/diagnostic';
import { DEFAULT_TARGET_NAMES } from '../naming';
import { findRegistration, registeredOptions } from './registration';

const defaults = { specsDir: 'specs', requireCertified: false, targetNames: DEFAULT_TARGET_NAMES, runner: 'local', slurm: {} };

describe('registeredOptions, the one reader of nx.json for executors, generators and the CLI', () => {
  it('reads the string and object forms, with defaults', () => {
    expect(registeredOptions(undefined)).toEqual({ options: defaults, problems: [], registered: false });
    expect(registeredOptions({ plugins: ['@nx/js', '@specthis/nx'] })).toEqual({ options: defaults, problems: [], registered: true });
    const { options } = registeredOptions({
      plugins: [{ plugin: '@specthis/nx', options: { specsDir: './docs/specs/', requireCertified: true } }],
    });
    expect(options).toEqual({ ...defaults, specsDir: 'docs/specs', requireCertified: true });
  });

  it('recognises a subpath of the package as the plugin', () => {
    expect(findRegistration({ plugins: ['@nx/js', { plugin: '@specthis/nx/plugin', options: { specsDir: 'x' } }] })).toEqual({
      index: 1,
      options: { specsDir: 'x' },
    });
    expect(findRegistration({ plugins: ['@specthis/nxx'] })).toBeUndefined();
  });

  it('reads "" and "." as the workspace root, the same everywhere', () => {
    expect(registeredOptions({ plugins: [{ plugin: '@specthis/nx', options: { specsDir: '' } }] }).options.specsDir).toBe('.');
    expect(registeredOptions({ plugins: [{ plugin: '@specthis/nx', options: { specsDir: '.' } }] }).options.specsDir).toBe('.');
  });

  it('takes target names as options, and refuses names Nx or the entry separator cannot carry', () => {
    const ok = registeredOptions({
      plugins: [{ plugin: '@specthis/nx', options: { serveTargetName: 'specs-serve', computeTargetName: 'run' } }],
    });
    expect(ok.problems).toEqual([]);
    expect(ok.options.targetNames).toEqual({ ...DEFAULT_TARGET_NAMES, serve: 'specs-serve', compute: 'run' });
    const bad = registeredOptions({
      plugins: [{ plugin: '@specthis/nx', options: { serveTargetName: 'a--b', auditTargetName: 'compute' } }],
    });
    expect(bad.problems.map((p) => formatDiagnostic(p).split('\n')[0])).toEqual([
      'nx.json: error: plugin option "serveTargetName" of @specthis/nx is not a target name [options-invalid]',
      'nx.json: error: plugin option "auditTargetName" of @specthis/nx names the same target as "computeTargetName" [options-invalid]',
    ]);
    expect(bad.options.targetNames).toEqual(DEFAULT_TARGET_NAMES);
  });

  it('names a mistyped or mistyped-value option, with the right form', () => {
    const { problems } = registeredOptions({
      plugins: [{ plugin: '@specthis/nx', options: { specDir: 'x', requireCertified: 'yes', specsDir: '../out' } }],
    });
    expect(problems.map((p) => [p.reason, p.expected])).toEqual([
      ['plugin option "specDir" of @specthis/nx is not an option; did you mean "specsDir"?', expect.stringContaining('one of: specsDir')],
      [
        'plugin option "specsDir" of @specthis/nx is not a relative POSIX path inside the workspace',
        expect.stringContaining('"specsDir": "specs"'),
      ],
      ['plugin option "requireCertified" of @specthis/nx is true or false', '"requireCertified": true'],
    ]);
  });
});

describe('the runner options', () => {
  it('reads runner and slurm defaults, and names what is wrong in them', () => {
    const ok = registeredOptions({
      plugins: [
        {
          plugin: '@specthis/nx',
          options: { runner: 'slurm', slurm: { partition: 'short', time: '02:00:00', cpus: 4, extraArgs: ['--exclusive'] } },
        },
      ],
    });
    expect(ok.problems).toEqual([]);
    expect(ok.options).toMatchObject({
      runner: 'slurm',
      slurm: { partition: 'short', time: '02:00:00', cpus: 4, extraArgs: ['--exclusive'] },
    });
    const bad = registeredOptions({ plugins: [{ plugin: '@specthis/nx', options: { runner: 'k8s', slurm: { gpus: 2, time: 'soon' } } }] });
    expect(bad.problems.map((p) => p.reason)).toEqual([
      'plugin option "runner" of @specthis/nx is "local" or "slurm"',
      'plugin option "slurm" of @specthis/nx has a value that cannot be used: unknown slurm option "gpus"',
      'plugin option "slurm" of @specthis/nx has a value that cannot be used: slurm.time: "soon" is not a SLURM duration',
    ]);
  });
});
