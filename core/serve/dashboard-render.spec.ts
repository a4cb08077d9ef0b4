import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAudit } from '../audit/audit';
import { AuditMemo } from '../audit/memo';
import { buildDashboard } from '../dashboard';
import { ExampleCopies } from '../dashboard/__fixtures__/workspace';
import { FileCache } from '../fs/file-cache';
import { DEFAULT_OPTIONS } from '../workspace/types';
import { loadWorkspace } from '../workspace/load';
import { editor, prng } from './__fixtures__/random-edits';
import { dashboardRender } from './dashboard-render';

jest.setTimeout(120_000);

const copies = new ExampleCopies();
afterAll(() => copies.cleanup());

describe('the live render with its FileCache and AuditMemo', () => {
  it('after every edit of a random sequence, serves the page and audit a fresh build makes', () => {
    const root = copies.copy();
    const render = dashboardRender(root, DEFAULT_OPTIONS);
    const cache = new FileCache(root);
    const memo = new AuditMemo();
    const liveAudit = () => cache.run(() => runAudit(root, loadWorkspace(root), { memo }));
    expect(render([], true)).toMatchObject({ html: buildDashboard(root, undefined, { generated: false }).html });
    liveAudit();
    const { edits, pick } = editor(root, prng(4));
    const kinds = Object.keys(edits).sort();
    const applied: string[] = [];
    for (let step = 0; step < 80; step++) {
      const kind = pick(kinds);
      const change = edits[kind]();
      if (!change) continue;
      applied.push(`${kind} ${change.changed.join(' ')}`);
      const fresh = buildDashboard(root, undefined, { generated: false }).html;
      const served = (render(change.changed, change.structural) as { html: string }).html;
      if (served !== fresh)
        throw new Error(`after ${applied.length} edits the served page differs from a fresh build; edits:\n${applied.join('\n')}`);
      cache.invalidate(change.changed, change.structural);
      memo.invalidate(root, change.changed, change.structural);
      const live = liveAudit();
      const expected = runAudit(root, loadWorkspace(root));
      expect({ result: live.result, facts: live.facts, step: applied.length }).toEqual({
        result: expected.result,
        facts: expected.facts,
        step: applied.length,
      });
    }
    expect(applied.length).toBeGreaterThan(60);
    expect(new Set(applied.map((a) => a.split(' ')[0]))).toEqual(new Set(kinds));
  });

  it('recomputes only the entries whose files changed', () => {
    const root = copies.copy();
    const cache = new FileCache(root);
    const memo = new AuditMemo();
    const audit = () => cache.run(() => runAudit(root, loadWorkspace(root), { memo }));
    audit();
    expect(memo.counts).toEqual({ kept: 0, computed: 4 });
    audit();
    expect(memo.counts).toEqual({ kept: 4, computed: 0 });
    writeFileSync(join(root, 'scripts', 'fit_mincer.py'), '# changed\n');
    cache.invalidate(['scripts/fit_mincer.py'], false);
    memo.invalidate(root, ['scripts/fit_mincer.py'], false);
    const run = audit();
    expect(memo.counts).toEqual({ kept: 2, computed: 2 });
    expect(run.facts.filter((f) => f.realization === 'stale').map((f) => f.entry.name)).toEqual(['mincer-baseline', 'mincer-with-region']);
    // An upstream receipt is read by the entries downstream of it.
    rmSync(join(root, '.specthis', 'receipts', 'clean-panel.json'));
    cache.invalidate(['.specthis/receipts/clean-panel.json'], true);
    memo.invalidate(root, ['.specthis/receipts/clean-panel.json'], true);
    audit();
    expect(memo.counts).toEqual({ kept: 1, computed: 3 });
    expect(readdirSync(join(root, '.specthis', 'receipts')).length).toBe(3);
  });
});
