import { execFileSync } from 'node:child_process';
import { entryCommand, shellQuote } from './command';

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
