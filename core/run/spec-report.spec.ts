import { TempWorkspace } from './__fixtures__/workspace';
import { reportSpec } from './spec-report';

let ws: TempWorkspace;
let lines: string[];
const log = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => lines.push(`warn ${m}`),
  error: (m: string) => lines.push(`error ${m}`),
};
beforeEach(() => {
  ws = new TempWorkspace();
  lines = [];
});
afterEach(() => ws.cleanup());

describe('reportSpec', () => {
  it('prints every diagnostic of a spec that does not parse and fails', () => {
    ws.edit('specs/compute-clean.md', '- Output:', '- Outptu:');
    expect(reportSpec(ws.model(), 'specs/compute-clean.md', log)).toBe(false);
    expect(lines.join('\n')).toContain(
      'specs/compute-clean.md:12: error: compute entry "clean" has no "Output:" value [entry-missing-field]',
    );
    expect(lines.join('\n')).toContain('warn specs/compute-clean.md:14: warning: unknown field "Outptu:"; did you mean "Output:"?');
    expect(lines[lines.length - 1]).toBe('error specthis: specs/compute-clean.md has 1 error; its entries do not run until they are fixed');
  });

  it('succeeds for a spec without errors, and fails for a file that is not a spec', () => {
    expect(reportSpec(ws.model(), 'specs/compute-clean.md', log)).toBe(true);
    expect(reportSpec(ws.model(), 'specs/README.md', log)).toBe(false);
    expect(lines).toEqual([
      'info specthis: specs/compute-clean.md has no errors',
      'error specthis: specs/README.md is not a spec of this workspace; specs are the .md files under specs/ (not README.md, AGENTS.md or _generated files)',
    ]);
  });
});
