import { TestWorkspace } from './support/workspace';

jest.setTimeout(900_000);

/**
 * One broken spec never breaks the graph for the others: every kind of bad input
 * at once, and the example's own targets still list and run.
 */
describe('broken specs', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.fromExample('robust');
    const entry = (name: string) =>
      `### ${name}\n- Script: \`scripts/${name}.py\`\n- Output: \`results/${name}/out.json\`\n- Status: script ready\n`;
    ws.exec('mkdir', ['-p', 'specs/broken', 'specs/downstream']);
    ws.write('specs/broken/not-yaml.md', '---\nname: not-yaml\nkind: [compute\n---\n');
    ws.write('specs/broken/unknown-field.md', `---\nname: unknown-field\nkind: compute\nowner: alice\n---\n## Entry\n${entry('owned')}`);
    ws.write('specs/broken/dup-a.md', `---\nname: dup-a\nkind: compute\n---\n## Entry\n${entry('twin')}`);
    ws.write('specs/broken/dup-b.md', `---\nname: dup-b\nkind: compute\n---\n## Entry\n${entry('twin')}`);
    ws.write(
      'specs/downstream/uses-broken.md',
      `---\nname: uses-broken\nkind: compute\ndepends_on: [broken/not-yaml.md]\n---\n## Entry\n${entry('waits')}`,
    );
    ws.write(
      'specs/broken/cycle-a.md',
      `---\nname: cycle-a\nkind: compute\ndepends_on: [broken/cycle-b.md]\n---\n## Entry\n${entry('cyc-a')}`,
    );
    ws.write(
      'specs/broken/cycle-b.md',
      `---\nname: cycle-b\nkind: compute\ndepends_on: [broken/cycle-a.md]\n---\n## Entry\n${entry('cyc-b')}`,
    );
    ws.write(
      'specs/broken/missing-dep.md',
      `---\nname: missing-dep\nkind: compute\ndepends_on: [nowhere/gone.md]\n---\n## Entry\n${entry('orphan')}`,
    );
    ws.write('specs/broken/latin1.md', Buffer.from('---\nname: latin1\nkind: definitions\n---\nCaf\xe9\n', 'latin1'));
    ws.write('specs/broken/empty.md', '');
    ws.write('specs/broken/huge.md', Buffer.alloc(10 * 1024 * 1024, 'x'));
    ws.write('specs/broken/js.md', "---js\n{ kind: (function(){ require('fs').writeFileSync('pwned', '1'); return 'compute' })() }\n---\n");
    ws.commitAll('add broken specs');
  });

  it('still lists every project, and the broken directory gets failing targets', () => {
    const projects = JSON.parse(ws.nxOk('show', 'projects', '--json').stdout).sort();
    expect(projects).toEqual(['specs', 'specs-broken', 'specs-data', 'specs-downstream', 'specs-models', 'specs-paper']);
    const broken = JSON.parse(ws.nxOk('show', 'project', 'specs-broken', '--json').stdout);
    expect(
      Object.keys(broken.targets)
        .filter((t) => t.startsWith('invalid--'))
        .sort(),
    ).toEqual(
      ['cycle-a', 'cycle-b', 'dup-a', 'dup-b', 'empty', 'huge', 'js', 'latin1', 'missing-dep', 'not-yaml', 'unknown-field'].map(
        (s) => `invalid--${s}`,
      ),
    );
    expect(ws.exists('pwned')).toBe(false);
  });

  it('runs every other target; the broken ones fail and their dependents wait', () => {
    const r = ws.nx('run-many', '-t', 'compute', 'export', '--outputStyle=static');
    expect(r.code).not.toBe(0);
    for (const entry of ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table']) {
      expect(JSON.parse(ws.read(`.specthis/receipts/${entry}.json`)).exitCode).toBe(0);
    }
    expect(ws.exists('reports/tables/mincer.tex')).toBe(true);
    expect(ws.exists('.specthis/receipts/waits.json')).toBe(false);
    expect(r.output).toMatch(/specs-broken:invalid--not-yaml/);
    expect(r.output).toMatch(/specs\/broken\/dup-a\.md:\d+: error: entry name "twin" is also declared in specs\/broken\/dup-b\.md/);
  });

  it('prints each diagnostic with file, line, rule and the right form', () => {
    const cases: [string, RegExp][] = [
      ['not-yaml', /specs\/broken\/not-yaml\.md:3: error: front matter is not valid YAML/],
      [
        'unknown-field',
        /specs\/broken\/unknown-field\.md:4: error: unknown front matter key "owner" \[front-matter-unknown-key\]\n\s+expected: one of: name, kind/,
      ],
      [
        'cycle-a',
        /specs\/broken\/cycle-a\.md:4: error: depends_on forms a cycle: broken\/cycle-a\.md -> broken\/cycle-b\.md -> broken\/cycle-a\.md/,
      ],
      ['missing-dep', /specs\/broken\/missing-dep\.md:4: error: depends_on names "nowhere\/gone\.md", which is not a spec/],
      ['latin1', /specs\/broken\/latin1\.md:5: error: spec is not valid UTF-8/],
      ['empty', /specs\/broken\/empty\.md: error: spec is empty \[spec-empty\]/],
      ['huge', /specs\/broken\/huge\.md: error: spec is 10\.0 MiB/],
      ['js', /specs\/broken\/js\.md:1: error: front matter fence declares language "js"/],
    ];
    for (const [stem, message] of cases) {
      const r = ws.nx('run', `specs-broken:invalid--${stem}`, '--outputStyle=static');
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(message);
    }
  });
});
