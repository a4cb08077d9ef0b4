import { TempWorkspace } from './__fixtures__/workspace';
import { verifyOutputs } from './verify';

let ws: TempWorkspace;
beforeEach(() => (ws = new TempWorkspace()));
afterEach(() => ws.cleanup());
const OUT = 'results/compute-fit-fit/estimates.json';
const verify = () => verifyOutputs(ws.root, ws.entry('fit').entry);

describe('verifyOutputs', () => {
  it('accepts an object holding every Keys: key', () => {
    ws.write(OUT, '{"beta": 0.5, "n": 3, "se": 0.1}');
    expect(verify()).toEqual([]);
  });

  it('names the file and each missing key, and shows the right form', () => {
    ws.write(OUT, '{"beta": 0.5}');
    expect(verify()).toEqual([
      `${OUT} lacks the top-level key "n" that "Keys:" requires; expected an object like {"beta": ..., "n": ...} (it has: beta)`,
    ]);
    ws.write(OUT, '{"nested": {"beta": 1, "n": 2}}');
    expect(verify()[0]).toContain('lacks the top-level keys "beta", "n"');
  });

  it('refuses output that is absent, not JSON, or not an object', () => {
    expect(verify()).toEqual([
      `${OUT} was not written: the command exited 0 but the entry's "Output:" names this file; the script must write it`,
    ]);
    ws.write(OUT, '{"beta": ');
    expect(verify()[0]).toMatch(
      /^results\/compute-fit-fit\/estimates\.json is not valid JSON \(.+\); a compute output is one JSON object, e.g. \{"beta": \.\.\., "n": \.\.\.\}$/,
    );
    ws.write(OUT, '[1, 2]');
    expect(verify()[0]).toContain('holds an array, not a JSON object');
    ws.remove(OUT);
    ws.write(`${OUT}/x`, '');
    expect(verify()[0]).toContain('is not a regular file');
  });

  it('checks every export output exists, without reading them as JSON', () => {
    ws.write(
      'specs/report-t.md',
      '---\nname: report-t\nkind: figure\n---\n\n## Entry\n\n### t\n- Export script: `scripts/t.py`\n- Export outputs: `reports/t.tex`, `reports/t.pdf`\n- Status: script ready\n',
    );
    ws.write('reports/t.tex', 'not json');
    expect(verifyOutputs(ws.root, ws.entry('t').entry)).toEqual([
      `reports/t.pdf was not written: the command exited 0 but the entry's "Export outputs:" names this file; the script must write it`,
    ]);
  });
});
