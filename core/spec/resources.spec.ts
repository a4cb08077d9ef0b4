import { mergeSubmission, parseResources, parseSlurmTime, submissionArgs, validateSlurmDefaults } from './resources';

describe('parseSlurmTime', () => {
  it.each([
    ['90', 90 * 60],
    ['0:30', 30],
    ['120:00', 120 * 60],
    ['02:00:00', 2 * 3600],
    ['1:02:03', 3723],
    ['1-12', 36 * 3600],
    ['2-03:04', (2 * 24 + 3) * 3600 + 4 * 60],
    ['1-00:00:01', 24 * 3600 + 1],
    ['00:01:00', 60],
  ])('reads %s as %i s', (text, s) => expect(parseSlurmTime(text)).toBe(s));

  it.each(['', 'abc', '1:2:3:4', '-1', '1-', '1-2-3', '1:60', '1:60:00', '1:00:60', '1-24', '1-00:60', '2h', ' 1', '1.5', 'UNLIMITED'])(
    'refuses %j',
    (text) => expect(parseSlurmTime(text)).toBeUndefined(),
  );
});

describe('parseResources', () => {
  it('reads every key in its forms', () => {
    expect(parseResources('time=02:00:00 mem=8G cpus=4 partition=short account=lab_42 qos=normal.high')).toEqual({
      resources: { time: '02:00:00', mem: '8G', cpus: 4, partition: 'short', account: 'lab_42', qos: 'normal.high' },
      problems: [],
    });
    expect(parseResources('  time=1-12\tmem=500  ').resources).toEqual({ time: '1-12', mem: '500' });
    for (const time of ['90', '0:30', '1:02:03', '1-12', '2-03:04', '1-00:00:01'])
      expect(parseResources(`time=${time}`)).toEqual({ resources: { time }, problems: [] });
    for (const mem of ['1024', '512K', '500M', '8G', '1T', '0']) expect(parseResources(`mem=${mem}`).resources).toEqual({ mem });
    // SLURM takes lower-case units too; they are written the way SLURM prints them.
    expect(parseResources('mem=8g').resources).toEqual({ mem: '8G' });
    expect(parseResources('')).toEqual({ resources: {}, problems: [] });
  });

  it('names every problem, the right form and what it got', () => {
    const { resources, problems } = parseResources('time=2h mem=8GB cpus=0 partition=a/b gpus=1 oops account= qos=x y=1 =3 cpus=2');
    expect(resources).toEqual({ qos: 'x' });
    expect(problems).toEqual([
      {
        key: 'time',
        problem: '"2h" is not a SLURM duration',
        expected: 'a positive duration in one of SLURM forms M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (e.g. time=90, time=02:00:00, time=1-12)',
        received: 'time=2h',
      },
      {
        key: 'mem',
        problem: '"8GB" is not an amount of memory',
        expected: 'an integer with an optional K, M, G or T suffix, megabytes without one (e.g. mem=8G, mem=500M)',
        received: 'mem=8GB',
      },
      {
        key: 'cpus',
        problem: '"0" is not a positive whole number of CPUs',
        expected: 'a positive integer (e.g. cpus=4)',
        received: 'cpus=0',
      },
      {
        key: 'partition',
        problem: '"a/b" is not a valid partition name',
        expected: 'a name of letters, digits, _ . or - (e.g. partition=short)',
        received: 'partition=a/b',
      },
      { key: 'gpus', problem: 'unknown resource "gpus"', expected: 'one of time, mem, cpus, partition, account, qos', received: 'gpus=1' },
      {
        problem: '"oops" is not a key=value word',
        expected:
          'key=value words separated by spaces, keys time, mem, cpus, partition, account, qos (e.g. time=02:00:00 mem=8G cpus=4 partition=short)',
        received: 'oops',
      },
      {
        key: 'account',
        problem: 'account= has no value',
        expected: 'a name of letters, digits, _ . or - (e.g. account=lab42)',
        received: 'account=',
      },
      { key: 'y', problem: 'unknown resource "y"', expected: 'one of time, mem, cpus, partition, account, qos', received: 'y=1' },
      expect.objectContaining({ problem: '"=3" is not a key=value word', received: '=3' }),
      { key: 'cpus', problem: 'cpus= is given twice', expected: 'cpus= at most once', received: 'cpus=2' },
    ]);
  });

  it('refuses a zero time limit, which SLURM reads as no limit', () => {
    for (const time of ['0', '0:00', '0-0', '00:00:00'])
      expect(parseResources(`time=${time}`).problems).toEqual([
        expect.objectContaining({
          key: 'time',
          problem: 'time=0 means "no time limit" to SLURM; leave time= out for the partition default',
        }),
      ]);
  });

  it.each(['1:60', '1-24', '1:2:3:4', '-5', '1.5', 'UNLIMITED'])('refuses time=%s', (time) =>
    expect(parseResources(`time=${time}`).problems).toEqual([expect.objectContaining({ key: 'time', received: `time=${time}` })]),
  );

  it.each(['-1', '1.5', 'abc', '04', '1e3'])('refuses cpus=%j', (cpus) =>
    expect(parseResources(`cpus=${cpus}`).problems.map((p) => p.key)).toEqual(['cpus']),
  );

  it.each(['8GiB', 'G', '-1', '1.5G', '8P'])('refuses mem=%j', (mem) =>
    expect(parseResources(`mem=${mem}`).problems.map((p) => p.key)).toEqual(['mem']),
  );
});

describe('validateSlurmDefaults', () => {
  it('takes the documented keys, cpus as a number or a string', () => {
    expect(
      validateSlurmDefaults({
        partition: 'short',
        time: '01:00:00',
        mem: '4g',
        cpus: 2,
        account: 'a',
        qos: 'q',
        extraArgs: ['--exclusive'],
      }),
    ).toEqual({
      defaults: { partition: 'short', time: '01:00:00', mem: '4G', cpus: 2, account: 'a', qos: 'q', extraArgs: ['--exclusive'] },
      problems: [],
    });
    expect(validateSlurmDefaults({ cpus: '8' }).defaults).toEqual({ cpus: 8 });
    expect(validateSlurmDefaults(undefined)).toEqual({ defaults: {}, problems: [] });
  });

  it('names unknown keys, wrong types and malformed values', () => {
    expect(validateSlurmDefaults({ partiton: 'short', time: 90, cpus: 2.5, extraArgs: '--exclusive', mem: '8 G' }).problems).toEqual([
      {
        key: 'partiton',
        problem: 'unknown slurm option "partiton"',
        expected: 'one of time, mem, cpus, partition, account, qos, extraArgs',
        received: 'partiton',
      },
      expect.objectContaining({ key: 'time', problem: 'slurm.time is not a string', received: '90' }),
      expect.objectContaining({ key: 'cpus', problem: 'slurm.cpus: "2.5" is not a positive whole number of CPUs', received: 'cpus=2.5' }),
      {
        key: 'extraArgs',
        problem: 'slurm.extraArgs is not a list of strings',
        expected: 'a list of arguments for srun, one per item (e.g. ["--exclusive", "--constraint=avx2"])',
        received: '"--exclusive"',
      },
      expect.objectContaining({ key: 'mem', problem: 'slurm.mem: "8 G" is not an amount of memory' }),
    ]);
    expect(validateSlurmDefaults(['short']).problems).toEqual([
      expect.objectContaining({ problem: 'the slurm option is not an object', received: '["short"]' }),
    ]);
  });
});

describe('mergeSubmission and submissionArgs', () => {
  it('lets an entry override the defaults key by key, and appends extraArgs verbatim', () => {
    const merged = mergeSubmission(
      { partition: 'long', time: '1-00', mem: '4G', account: 'lab', extraArgs: ['--exclusive', '--constraint=a b'] },
      { partition: 'short', cpus: 4 },
    );
    expect(merged).toEqual({
      partition: 'short',
      time: '1-00',
      mem: '4G',
      cpus: 4,
      account: 'lab',
      extraArgs: ['--exclusive', '--constraint=a b'],
    });
    expect(submissionArgs(merged)).toEqual([
      '--partition=short',
      '--account=lab',
      '--time=1-00',
      '--mem=4G',
      '--cpus-per-task=4',
      '--exclusive',
      '--constraint=a b',
    ]);
  });

  it('asks for nothing when nothing is set', () => {
    expect(mergeSubmission(undefined, undefined)).toEqual({ extraArgs: [] });
    expect(submissionArgs(mergeSubmission(undefined, {}))).toEqual([]);
    expect(submissionArgs(mergeSubmission({ qos: 'low' }, undefined))).toEqual(['--qos=low']);
  });

  it('keeps the defaults object untouched', () => {
    const defaults = { partition: 'long', extraArgs: ['--exclusive'] };
    mergeSubmission(defaults, { partition: 'short' }).extraArgs.push('--x');
    expect(defaults).toEqual({ partition: 'long', extraArgs: ['--exclusive'] });
  });
});
