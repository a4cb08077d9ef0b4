import { TempWorkspace } from './__fixtures__/workspace';
import { describeOutputProblem, verifyOutputs } from './verify';

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace()));
afterEach(() => ws.cleanup());
const OUT = 'results/compute-fit-fit/estimates.json';
const verify = () => verifyOutputs(ws.root, ws.entry('fit').entry);
const words = () => verify().map((p) => describeOutputProblem(ws.entry('fit').entry, p));

describe('verifyOutputs', () => {
  it('accepts an object holding every Keys: key', () => {
    ws.write(OUT, '{"beta": 0.5, "n": 3, "se": 0.1}');
    expect(verify()).toEqual([]);
  });

  it('names the file and each missing key, and shows the right form', () => {
    ws.write(OUT, '{"beta": 0.5}');
    expect(verify()).toEqual([{ path: OUT, kind: 'keys-missing', missing: ['n'], present: ['beta'] }]);
    expect(words()).toEqual([
      {
        reason: `${OUT} lacks the top-level key "n" that "Keys:" requires (it has: beta)`,
        expected: 'an object like {"beta": ..., "n": ...}',
      },
    ]);
    ws.write(OUT, '{"nested": {"beta": 1, "n": 2}}');
    expect(words()[0].reason).toContain('lacks the top-level keys "beta", "n"');
  });

  it('refuses output that is absent, not JSON, or not an object', () => {
    expect(verify()).toEqual([{ path: OUT, kind: 'not-written' }]);
    expect(words()[0]).toEqual({
      reason: `${OUT} was not written: the command exited 0 but the entry's "Output:" names this file`,
      expected: `the script writes ${OUT}`,
    });
    ws.write(OUT, '{"beta": ');
    expect(verify()[0]).toMatchObject({ kind: 'invalid' });
    expect(words()[0].reason).toMatch(/^results\/compute-fit-fit\/estimates\.json is not valid JSON \(.+\)$/);
    expect(words()[0].expected).toBe('one JSON object with named top-level keys, e.g. {"beta": ..., "n": ...}');
    ws.write(OUT, '[1, 2]');
    expect(words()[0].reason).toContain('holds an array, not a JSON object');
    ws.remove(OUT);
    ws.write(`${OUT}/x`, '');
    expect(verify()).toEqual([{ path: OUT, kind: 'not-file' }]);
    expect(words()[0].reason).toContain('is not a regular file');
  });

  it('checks every export output exists, without reading them as JSON', () => {
    ws.write(
      'specs/report-t.md',
      '---\nname: report-t\nkind: figure\n---\n\n## Entry\n\n### t\n- Export script: `scripts/t.py`\n- Export outputs: `reports/t.tex`, `reports/t.pdf`\n- Status: script ready\n',
    );
    ws.write('reports/t.tex', 'not json');
    const t = ws.entry('t').entry;
    expect(verifyOutputs(ws.root, t)).toEqual([{ path: 'reports/t.pdf', kind: 'not-written' }]);
    expect(describeOutputProblem(t, verifyOutputs(ws.root, t)[0]).reason).toBe(
      `reports/t.pdf was not written: the command exited 0 but the entry's "Export outputs:" names this file`,
    );
  });
});
