import { execFileSync } from 'node:child_process';
import { entryCommand, runPaths, shellQuote } from './command';

describe('entryCommand', () => {
  it('takes Run: verbatim', () => {
    expect(entryCommand({ run: 'python3 scripts/fit.py --spec "a b"', script: 'scripts/fit.py' })).toBe(
      'python3 scripts/fit.py --spec "a b"',
    );
  });

  it.each([
    ['scripts/fit.py', 'python3 scripts/fit.py'],
    ['scripts/fit.R', 'Rscript scripts/fit.R'],
    ['scripts/fit.r', 'Rscript scripts/fit.r'],
    ['scripts/fit.jl', 'julia scripts/fit.jl'],
    ['scripts/fit.sh', 'bash scripts/fit.sh'],
    ['scripts/fit.js', 'node scripts/fit.js'],
    ['scripts/fit.mjs', 'node scripts/fit.mjs'],
    ['scripts/fit.cjs', 'node scripts/fit.cjs'],
    ['scripts/fit', './scripts/fit'],
    ['scripts.d/fit', './scripts.d/fit'],
    ['scripts/fit.exe', './scripts/fit.exe'],
  ])('chooses the command for %s', (script, command) => {
    expect(entryCommand({ script })).toBe(command);
  });

  it('quotes script paths the shell would split or expand', () => {
    expect(entryCommand({ script: 'my scripts/fit $1.py' })).toBe(`python3 'my scripts/fit $1.py'`);
    expect(entryCommand({ script: "it's/run" })).toBe(`'./it'\\''s/run'`);
  });

  it('round-trips awkward words through a real shell', () => {
    for (const word of ['a b', "it's", '$HOME', '`x`', '*', 'a"b', '']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(word)}`]).toString()).toBe(word);
    }
  });

  it('has no command without Run: or a script', () => {
    expect(entryCommand({})).toBeUndefined();
  });
});

describe('runPaths', () => {
  const entry = (run: string) => ({ run, script: 'scripts/fit.py', workflows: ['config/a.json'], outputs: ['results/x/out.json'] });

  it('names the files a Run: command refers to besides the script, workflows and outputs', () => {
    expect(runPaths(entry('python3 scripts/fit.py --config config/b.yaml data/panel.csv'))).toEqual(['config/b.yaml', 'data/panel.csv']);
    expect(runPaths(entry('python3 ./scripts/other.py --spec=config/c.json -v && Rscript "tools/post.R"'))).toEqual([
      'config/c.json',
      'scripts/other.py',
      'tools/post.R',
    ]);
  });

  it('leaves out the entry own files, options, words that are no path, and paths out of the workspace', () => {
    expect(
      runPaths(
        entry(
          'python3 scripts/fit.py config/a.json results/x/out.json --spec baseline -n 3 /etc/passwd ../up.py https://x.org/a.py $HOME/x.py',
        ),
      ),
    ).toEqual([]);
    expect(runPaths({ script: 'scripts/fit.py', workflows: [], outputs: [] })).toEqual([]);
  });
});
