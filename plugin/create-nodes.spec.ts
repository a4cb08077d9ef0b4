import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateNodesResultArray, ProjectGraphProjectNode } from '@nx/devkit';
// Nx's own reading of implicitDependencies, as the project graph applies it.
import { normalizeImplicitDependencies } from 'nx/src/project-graph/utils/normalize-project-nodes';

/** createNodes' caches against a real workspace in a temp dir, the spec files hashed by Nx's native file hasher. */
const tmp = mkdtempSync(join(tmpdir(), 'specthis-create-nodes-'));
const dataDir = join(tmp, 'workspace-data');
process.env.NX_DAEMON = 'false';
process.env.NX_WORKSPACE_DATA_DIRECTORY = dataDir;
// Required after the environment is set: Nx fixes its data directory when first loaded.
const { createNodes, cachesWritten } = require('./create-nodes') as typeof import('./create-nodes');
const { writeJsonAtomic } = require('./spec-cache') as typeof import('./spec-cache');
const { cachedSpecs } = require('./cached-specs') as typeof import('./cached-specs');
const { inferGraph } = require('./infer-nodes') as typeof import('./infer-nodes');
const { renamableDirectories } = require('./project-edges') as typeof import('./project-edges');
const { hashSpecFiles } = require('./spec-hashes') as typeof import('./spec-hashes');
const { loadWorkspace, readSpec } = require('../core/workspace/load') as typeof import('../core/workspace/load');
const { registeredOptions } = require('../core/workspace/registration') as typeof import('../core/workspace/registration');

// What the executor has: the options as nx.json registers them, read by core, not by createNodes.
const executorOptions = () => registeredOptions({ plugins: [{ plugin: '@specthis/nx', options: { specsDir: 'specs' } }] }).options;
const spec = (name: string, deps: string[], entries: string[]) =>
  `---\nname: ${name}\nkind: compute\ndepends_on: [${deps.join(', ')}]\n---\n## Entries\n` +
  entries.map((e) => `### ${e}\n- Script: \`scripts/${e}.py\`\n- Output: \`results/${e}/out.json\`\n- Status: script ready\n`).join('\n');

let root: string;
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const mdFiles = (dir = ''): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? mdFiles(join(dir, d.name)) : d.name.endsWith('.md') ? [join(dir, d.name)] : [],
  );
/** nx.json as `nx add` leaves it: our plugin, then any `later` ones. */
const nxJson = (options: Record<string, unknown>, later: string[] = []) => ({ plugins: [{ plugin: '@specthis/nx', options }, ...later] });
async function run(options: Record<string, unknown> = { specsDir: 'specs' }, later: string[] = []) {
  const files = mdFiles().sort();
  const nodes = (await createNodes[1](files, options, {
    workspaceRoot: root,
    nxJsonConfiguration: nxJson(options, later),
  })) as CreateNodesResultArray;
  await cachesWritten();
  const projects = Object.fromEntries(
    nodes.flatMap(([, r]) => Object.entries(r.projects ?? {}).map(([projectRoot, p]) => [p.name!, { root: projectRoot, ...p }])),
  );
  return { nodes, projects, targets: (p: string) => Object.keys(projects[p]?.targets ?? {}).sort(), edges: edgesOf(projects) };
}
/** The project edges Nx reads from the projects' implicitDependencies, as `source -> target`, sorted. */
function edgesOf(projects: Record<string, { root: string; implicitDependencies?: string[] }>): string[] {
  const nodes: Record<string, ProjectGraphProjectNode> = Object.fromEntries(
    Object.entries(projects).map(([name, data]) => [name, { name, type: 'lib', data } as ProjectGraphProjectNode]),
  );
  return Object.entries(projects)
    .flatMap(([name, p]) => normalizeImplicitDependencies(name, p.implicitDependencies, nodes).map((target) => `${name} -> ${target}`))
    .sort();
}
const dataFile = (re: RegExp) => {
  const names = readdirSync(dataDir).filter((f) => re.test(f));
  expect(names).toHaveLength(1);
  return join(dataDir, names[0]);
};
const graphFile = () => dataFile(/^specthis\.graph-.*\.json$/);
const parseFile = () => dataFile(/^specthis-.*\.json$/);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** Marks the cached result, so a later run shows whether it was served from the cache. */
const tamper = () => {
  const cache = readJson(graphFile());
  cache.nodes[0][1].projects[Object.keys(cache.nodes[0][1].projects)[0]].metadata.description = 'from the cache';
  writeFileSync(graphFile(), JSON.stringify(cache));
};
const served = (r: { nodes: CreateNodesResultArray }) =>
  r.nodes.some(([, n]) => Object.values(n.projects ?? {}).some((p) => p.metadata?.description === 'from the cache'));

beforeEach(() => {
  root = mkdtempSync(join(tmp, 'ws-'));
  rmSync(dataDir, { recursive: true, force: true });
  write('specs/data/compute-clean.md', spec('compute-clean', [], ['clean-panel']));
  write('specs/models/compute-fit.md', spec('compute-fit', ['data/compute-clean.md'], ['fit-a', 'fit-b']));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('createNodes cache', () => {
  it('serves an unchanged workspace from the graph cache, with the same edges', async () => {
    const first = await run();
    expect(first.targets('specs-models')).toEqual(expect.arrayContaining(['compute--fit-a', 'compute--fit-b']));
    expect(first.edges).toEqual(['specs-models -> specs-data']);
    const again = await run();
    expect(again.nodes).toEqual(JSON.parse(JSON.stringify(first.nodes)));
    expect(again.edges).toEqual(first.edges);
    tamper();
    expect(served(await run())).toBe(true);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rebuilds when a spec changes, reparsing only that spec', async () => {
    await run();
    const before = readJson(parseFile()).specs;
    tamper();
    write('specs/models/compute-fit.md', spec('compute-fit', ['data/compute-clean.md'], ['fit-a', 'fit-c']));
    const r = await run();
    expect(served(r)).toBe(false);
    expect(r.targets('specs-models')).toContain('compute--fit-c');
    expect(r.targets('specs-models')).not.toContain('compute--fit-b');
    const after = readJson(parseFile()).specs;
    expect(after['specs/models/compute-fit.md'].hash).not.toBe(before['specs/models/compute-fit.md'].hash);
    expect(after['specs/data/compute-clean.md']).toEqual(before['specs/data/compute-clean.md']);
  });

  it('sees an edit that keeps the size and the timestamps (the key is the content, not a stat)', async () => {
    await run();
    tamper();
    const file = join(root, 'specs/models/compute-fit.md');
    const { atime, mtime, size } = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('fit-b', 'fit-x'));
    utimesSync(file, atime, mtime);
    expect(statSync(file).size).toBe(size);
    const r = await run();
    expect(served(r)).toBe(false);
    expect(r.targets('specs-models')).toContain('compute--fit-x');
  });

  it('follows a linked spec inside the workspace, and reads nothing through a link that leaves it', async () => {
    write('shared/compute-linked.md', spec('compute-linked', [], ['linked-a']));
    symlinkSync(join(root, 'shared/compute-linked.md'), join(root, 'specs/models/compute-linked.md'));
    const outside = join(tmp, `outside-${Date.now()}.md`);
    writeFileSync(outside, spec('compute-away', [], ['away']));
    symlinkSync(outside, join(root, 'specs/models/compute-away.md'));
    const first = await run();
    expect(first.targets('specs-models')).toContain('compute--linked-a');
    expect(first.targets('specs-models').some((t) => t.includes('away'))).toBe(true);
    expect(first.targets('specs-models')).not.toContain('compute--away');
    expect(readJson(parseFile()).specs['specs/models/compute-away.md'].hash).toBe(`outside ${outside}`);
    tamper();
    write('shared/compute-linked.md', spec('compute-linked', [], ['linked-b']));
    const edited = await run();
    expect(served(edited)).toBe(false);
    expect(edited.targets('specs-models')).toContain('compute--linked-b');
  });

  it('caches neither the parse nor the graph of a spec that changed between its hash and its read', async () => {
    const files = ['specs/data/compute-clean.md', 'specs/models/compute-fit.md'];
    const parses = join(dataDir, 'parses-race.json');
    // As if compute-fit.md was hashed, then edited before it was read: its hash is of other bytes.
    const hashes = [...hashSpecFiles(root, files.slice(0, 1)), 'hash of the bytes before the edit'];
    const raced = inferGraph(root, files, hashes, executorOptions(), new Set(), parses, 'v');
    expect(raced.settled).toBe(false);
    raced.saveParses();
    expect(Object.keys(readJson(parses).specs)).toEqual(['specs/data/compute-clean.md']);
    const calm = inferGraph(root, files, hashSpecFiles(root, files), executorOptions(), new Set(), parses, 'v');
    expect(calm.settled).toBe(true);
    calm.saveParses();
    expect(Object.keys(readJson(parses).specs).sort()).toEqual(files);
  });

  it('links spec projects along depends_on, by directory, skipping same-project and missing specs', async () => {
    write(
      'specs/models/compute-fit.md',
      spec('compute-fit', ['data/compute-clean.md', 'models/compute-base.md', 'nowhere/gone.md'], ['fit-a']),
    );
    write('specs/models/compute-base.md', spec('compute-base', ['data/compute-clean.md'], ['base']));
    write('specs/paper/report-table.md', spec('report-table', ['models/compute-fit.md'], ['table']));
    const r = await run();
    expect(r.projects['specs-models'].implicitDependencies).toEqual(['specs-data']);
    expect(r.projects['specs-data'].implicitDependencies).toBeUndefined();
    expect(r.edges).toEqual(['specs-models -> specs-data', 'specs-paper -> specs-models']);
  });

  it('names an upstream project by its directory while a project.json or package.json there may rename it, and rebuilds when one comes or goes', async () => {
    await run();
    tamper();
    write('specs/data/project.json', '{"name": "data"}');
    const named = await run();
    expect(served(named)).toBe(false);
    expect(named.projects['specs-models'].implicitDependencies).toEqual(['directory:specs/data']);
    expect(named.edges).toEqual(['specs-models -> specs-data']);
    rmSync(join(root, 'specs/data/project.json'));
    write('specs/data/package.json', '{"name": "data"}');
    expect((await run()).projects['specs-models'].implicitDependencies).toEqual(['directory:specs/data']);
    tamper();
    rmSync(join(root, 'specs/data/package.json'));
    const plain = await run();
    expect(served(plain)).toBe(false);
    expect(plain.projects['specs-models'].implicitDependencies).toEqual(['specs-data']);
  });

  it('names every upstream project by its directory while nx.json registers a plugin after ours, or ours by another name', async () => {
    await run();
    tamper();
    const later = await run({ specsDir: 'specs' }, ['@nx/jest/plugin']);
    expect(served(later)).toBe(false);
    expect(later.projects['specs-models'].implicitDependencies).toEqual(['directory:specs/data']);
    expect(later.edges).toEqual(['specs-models -> specs-data']);
    const files = mdFiles().sort();
    expect([...renamableDirectories(root, files, { plugins: ['./tools/specthis-local'] })]).toEqual(['specs/data', 'specs/models']);
    expect([...renamableDirectories(root, files, { plugins: ['@nx/js/typescript', { plugin: '@specthis/nx' }] })]).toEqual([]);
  });

  it("uses a directory only where Nx's matcher takes it literally, and then it finds that project and no other", () => {
    const plain = ['specs/a', 'specs/ab', 'specs/a/b', 'specs/a.b', 'specs/a-b', 'specs/a b', 'specs/A', '.'];
    const odd = [
      'specs/a*',
      'specs/fit[2]',
      'specs/{x,y}',
      'specs/!neg',
      'specs/#note',
      'specs/a?c',
      'specs/a\\b',
      'specs/a\\{x}',
      'specs/a(b)+c@d',
      'specs/a|b',
    ];
    const roots = [...plain, ...odd];
    const files = roots.map((r) => `${r}/s.md`);
    expect([...renamableDirectories(root, files, { plugins: [] })].sort()).toEqual([...plain].sort());
    const nodes: Record<string, ProjectGraphProjectNode> = Object.fromEntries(
      roots.map((r, i) => [`p${i}`, { name: `p${i}`, type: 'lib', data: { root: r } } as ProjectGraphProjectNode]),
    );
    for (const [i, r] of plain.entries())
      expect([r, normalizeImplicitDependencies('elsewhere', [`directory:${r}`], nodes)]).toEqual([r, [`p${i}`]]);
  });

  it('rebuilds when a spec is added or removed, edges included', async () => {
    await run();
    tamper();
    write('specs/paper/compute-late.md', spec('compute-late', ['models/compute-fit.md'], ['late']));
    const added = await run();
    expect(served(added)).toBe(false);
    expect(added.edges).toEqual(['specs-models -> specs-data', 'specs-paper -> specs-models']);
    tamper();
    rmSync(join(root, 'specs/models/compute-fit.md'));
    const removed = await run();
    expect(served(removed)).toBe(false);
    expect(removed.projects['specs-models']).toBeUndefined();
    expect(removed.edges).toEqual([]);
  });

  it('keeps a cache per options and never serves one options result for another', async () => {
    await run({ specsDir: 'specs' });
    tamper();
    const other = await run({ specsDir: 'specs', requireCertified: true });
    expect(served(other)).toBe(false);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('specthis.graph-'))).toHaveLength(2);
  });

  it('ignores a cache written by another plugin or cache version', async () => {
    await run();
    tamper();
    const cache = readJson(graphFile());
    writeFileSync(graphFile(), JSON.stringify({ ...cache, version: 'specthis-nodes/4 0.0.0-older' }));
    expect(served(await run())).toBe(false);
    expect(readJson(graphFile()).version).toBe(cache.version);
  });

  it('ignores torn or malformed caches and rewrites them', async () => {
    const first = await run();
    for (const file of [graphFile(), parseFile()]) writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
    const torn = await run();
    expect(torn.nodes).toEqual(JSON.parse(JSON.stringify(first.nodes)));
    expect(torn.edges).toEqual(first.edges);
    expect(() => readJson(graphFile())).not.toThrow();
    // Valid JSON of the wrong shape: a parse under the right hash that is not a spec is parsed again.
    const parses = readJson(parseFile());
    parses.specs['specs/models/compute-fit.md'].spec = { nonsense: true };
    writeFileSync(parseFile(), JSON.stringify(parses));
    writeFileSync(graphFile(), JSON.stringify({ ...readJson(graphFile()), nodes: 'nonsense' }));
    expect((await run()).nodes).toEqual(JSON.parse(JSON.stringify(first.nodes)));
  });

  it('stops on an option of the wrong form, naming nx.json, the key and the right form', async () => {
    await expect(run({ specsDir: 'specs', serveTargetName: 'a--b', runner: 'k8s' })).rejects.toThrow(
      /^nx\.json: error: plugin option "serveTargetName" of @specthis\/nx is not a target name \[options-invalid\]\n[\s\S]*\nnx\.json: error: plugin option "runner" of @specthis\/nx is "local" or "slurm" \[options-invalid\]\n  expected: "runner": "slurm"/,
    );
  });

  it('names targets as the options say', async () => {
    const r = await run({ specsDir: 'specs', serveTargetName: 'specs-serve', computeTargetName: 'fit', cacheServerTargetName: 'nx-cache' });
    expect(r.targets('specs')).toEqual(expect.arrayContaining(['specs-serve', 'dashboard', 'audit', 'nx-cache']));
    expect(r.targets('specs')).not.toContain('serve');
    expect(r.targets('specs')).not.toContain('cache-server');
    expect(
      Object.keys(r.projects)
        .flatMap((p) => r.targets(p))
        .filter((t) => t.startsWith('compute')),
    ).toEqual([]);
    expect(
      Object.keys(r.projects)
        .flatMap((p) => r.targets(p))
        .some((t) => t.startsWith('fit--')),
    ).toBe(true);
  });

  it('returns nothing and no edges without specs', async () => {
    await run();
    rmSync(join(root, 'specs'), { recursive: true });
    write('docs/notes.md', '# not a spec\n');
    const r = await run();
    expect(r.nodes).toEqual([]);
    expect(r.edges).toEqual([]);
  });
});

describe('cachedSpecs (the run executor reading the parses createNodes left)', () => {
  const json = (v: unknown) => JSON.parse(JSON.stringify(v));

  it('reuses a parse while its spec is unchanged, and parses again one that changed since', async () => {
    await run();
    const reuse = cachedSpecs(root, executorOptions());
    expect(reuse('specs/data/compute-clean.md')).toEqual(json(readSpec(root, 'specs/data/compute-clean.md', 'specs')));
    write('specs/models/compute-fit.md', spec('compute-fit', ['data/compute-clean.md'], ['fit-a', 'fit-z']));
    expect(reuse('specs/models/compute-fit.md')).toBeUndefined();
    expect(reuse('specs/data/compute-clean.md')).toBeDefined();
    expect(reuse('specs/missing.md')).toBeUndefined();
    const model = loadWorkspace(root, executorOptions(), reuse);
    expect(json(model.specs)).toEqual(json(loadWorkspace(root, executorOptions()).specs));
    expect(model.entries.has('fit-z')).toBe(true);
  });

  it('reads nothing through a spec directory that became a link out of the workspace', async () => {
    await run();
    const away = mkdtempSync(join(tmp, 'away-'));
    write('specs/data/compute-clean.md', spec('compute-clean', [], ['clean-panel']));
    rmSync(join(root, 'specs/data'), { recursive: true });
    writeFileSync(join(away, 'compute-clean.md'), spec('compute-clean', [], ['clean-panel']));
    symlinkSync(away, join(root, 'specs/data'));
    expect(cachedSpecs(root, executorOptions())('specs/data/compute-clean.md')).toBeUndefined();
    const model = loadWorkspace(root, executorOptions(), cachedSpecs(root, executorOptions()));
    expect(model.specs.find((s) => s.file === 'specs/data/compute-clean.md')?.diagnostics.map((d) => d.rule)).toEqual([
      'spec-outside-workspace',
    ]);
  });

  it('reuses nothing from a missing, foreign or torn cache', async () => {
    expect(cachedSpecs(root, executorOptions())('specs/data/compute-clean.md')).toBeUndefined();
    await run();
    const parses = readJson(parseFile());
    writeFileSync(parseFile(), JSON.stringify({ ...parses, version: 'specthis-nodes/4 0.0.0-older' }));
    expect(cachedSpecs(root, executorOptions())('specs/data/compute-clean.md')).toBeUndefined();
    writeFileSync(parseFile(), JSON.stringify(parses).slice(0, 100));
    expect(cachedSpecs(root, executorOptions())('specs/data/compute-clean.md')).toBeUndefined();
  });
});

describe('writeJsonAtomic', () => {
  it('never throws where it cannot write, and leaves no temporary file', () => {
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => writeJsonAtomic(join(blocker, 'cache.json'), { a: 1 })).not.toThrow();
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
