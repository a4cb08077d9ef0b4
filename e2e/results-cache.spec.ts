import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Header } from 'tar';
import { motoInstalled, startMoto, useFakeAwsEnv, type Moto } from './support/moto';
import { e2eRoot } from './support/paths';
import { snapshot } from './support/realized-entry';
import { TestWorkspace, type RunResult } from './support/workspace';

jest.setTimeout(600_000);

/**
 * The results cache through the real nx CLI and a real S3 API (moto): one
 * repository, three clones. A computes every entry and pushes it; B, a fresh
 * clone, fetches every entry and runs nothing; then one archive in the bucket
 * has bytes flipped and another is replaced by a hostile tar whose manifest
 * vouches for it, and C fetches what is sound, runs those two here, and
 * writes nothing outside its workspace.
 */
const BUCKET = 'specthis-e2e-results';
const CACHE_URL = `s3://${BUCKET}/team`;
const ENTRIES = ['clean-panel', 'mincer-baseline', 'mincer-with-region', 'wage-table'];
/** An entry whose archive gets flipped bytes, and one whose archive becomes a hostile tar. */
const FLIPPED = 'clean-panel';
const HOSTILE = 'mincer-with-region';
const HOSTILE_ROOT = 'results/compute-mincer-mincer-with-region';
/** A line added to every example script in the test's copy: each run appends its argv to runs.log at the workspace root. */
const RECORD_RUN =
  'import sys as _s, pathlib as _p; _f = (_p.Path(__file__).resolve().parents[1] / "runs.log").open("a"); _f.write(" ".join(_s.argv) + "\\n"); _f.close()';

const hasMoto = motoInstalled();
if (!hasMoto) console.warn('results-cache.spec: moto is not installed (python3 -c "import moto"); skipped');

let moto: Moto;
let restoreEnv: () => void;
let s3: S3Client;
let origin: TestWorkspace;
let a: TestWorkspace;
let aRun: RunResult;

const run = (ws: TestWorkspace, ...extra: string[]) => ws.nxOk('run-many', '-t', 'compute', 'export', '--outputStyle=static', ...extra);
const specthis = (ws: TestWorkspace, ...args: string[]) => ws.exec(ws.path('node_modules', '.bin', 'specthis'), args);
const specthisJson = (ws: TestWorkspace, ...args: string[]) => {
  const r = specthis(ws, ...args, '--json');
  if (r.code !== 0) throw new Error(`specthis ${args.join(' ')} exited ${r.code}\n${r.output}`);
  return JSON.parse(r.stdout);
};
const receipt = (ws: TestWorkspace, entry: string) => JSON.parse(ws.read(`.specthis/receipts/${entry}.json`));
const lines = (r: RunResult) => r.output.split('\n');
/** The entries the output says were fetched from the bucket. */
const fetched = (r: RunResult) => ENTRIES.filter((e) => lines(r).some((l) => l.startsWith(`specthis: ${e} fetched from ${CACHE_URL} `)));
/** Which entry each line of runs.log is, by the command A's receipts record for it (`python3 <argv>`); none when absent. */
const runsLogged = (ws: TestWorkspace): string[] => {
  if (!ws.exists('runs.log')) return [];
  const byArgv = new Map(ENTRIES.map((e) => [receipt(a, e).command.replace(/^python3 /, ''), e]));
  return ws
    .read('runs.log')
    .trimEnd()
    .split('\n')
    .map((argv) => byArgv.get(argv) ?? `(unknown run: ${argv})`)
    .sort();
};
/** Every result and table file, path -> SHA-256 (and each folder, as "dir"). */
const outputs = (ws: TestWorkspace) => ({
  ...prefixed('results', snapshot(ws.path('results'))),
  ...prefixed('reports/tables', snapshot(ws.path('reports', 'tables'))),
});
const prefixed = (dir: string, files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([path, digest]) => [`${dir}/${path}`, digest]));
const archiveKey = (entry: string) => `team/cache/${receipt(a, entry).signature}/${entry}.tar.gz`;
const manifestKey = (entry: string) => `team/cache/${receipt(a, entry).signature}/${entry}.manifest.json`;
/** `s` as a regular expression matching itself. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function getObject(key: string): Promise<Buffer> {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}
async function putObject(key: string, body: Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}
async function listKeys(): Promise<string[]> {
  const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (r.Contents ?? []).map((o) => o.Key as string).sort();
}

interface Member {
  path: string;
  type: 'File' | 'SymbolicLink';
  mode: number;
  body?: string;
  linkpath?: string;
}
/** A tar.gz of exactly these members, headers by node-tar, as a hostile pusher would make it. */
function tarGz(members: readonly Member[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const body = Buffer.from(m.body ?? '');
    const header = new Header({
      path: m.path,
      type: m.type,
      mode: m.mode,
      size: body.length,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      ...(m.linkpath ? { linkpath: m.linkpath } : {}),
    });
    header.encode();
    blocks.push(header.block as Buffer, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
/**
 * Out of the folder a fetch unpacks into (`.specthis/staging/<fetch>/new`, four below the workspace root) to the
 * clone's parent; from anywhere shallower it lands higher up. Every ancestor of the clone is checked for it.
 */
const ESCAPE_PATH = `${'../'.repeat(5)}escape`;
const ESCAPE: Member = { path: ESCAPE_PATH, type: 'File', mode: 0o644, body: 'escaped\n' };
const LINK: Member = { path: `${HOSTILE_ROOT}/passwd`, type: 'SymbolicLink', mode: 0o777, linkpath: '/etc/passwd' };
const SETUID: Member = { path: `${HOSTILE_ROOT}/estimates.json`, type: 'File', mode: 0o4755, body: '{}\n' };

/** Replaces the entry's archive with `archive`; with `vouch`, its manifest's archive size and SHA-256 too, so only the allow-list stands in the way. */
async function plant(entry: string, archive: Buffer, vouch: boolean): Promise<void> {
  await putObject(archiveKey(entry), archive);
  if (!vouch) return;
  const manifest = JSON.parse((await getObject(manifestKey(entry))).toString('utf8'));
  manifest.archive = { sha256: sha256(archive), size: archive.length };
  await putObject(manifestKey(entry), Buffer.from(`${JSON.stringify(manifest)}\n`));
}

/** The folders above `dir`, up to the file-system root; the e2e root and the temp dir among them. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); !out.includes(d); d = dirname(d)) out.push(d);
  expect(out).toEqual(expect.arrayContaining([e2eRoot(), tmpdir()]));
  return out;
}

/** Every symlink and every file with a setuid, setgid or sticky bit under `dir`, not following links. */
function walk(dir: string): { links: string[]; special: string[]; named: (name: string) => string[] } {
  const links: string[] = [];
  const special: string[] = [];
  const all: string[] = [];
  const visit = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      all.push(child);
      const st = lstatSync(join(dir, child));
      if (st.mode & 0o7000) special.push(child);
      if (d.isSymbolicLink()) links.push(child);
      else if (d.isDirectory()) visit(child);
    }
  };
  visit('');
  return { links: links.sort(), special, named: (name) => all.filter((p) => p.split('/').pop() === name) };
}

(hasMoto ? describe : describe.skip)('the results cache across clones, through nx and S3 (moto)', () => {
  beforeAll(async () => {
    restoreEnv = useFakeAwsEnv();
    for (const name of ['SPECTHIS_CACHE_URL', 'SPECTHIS_CACHE_READ', 'SPECTHIS_CACHE_WRITE']) delete process.env[name];
    moto = await startMoto([BUCKET]);
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });

    origin = TestWorkspace.fromExample('results-cache');
    const nxJson = JSON.parse(origin.read('nx.json'));
    nxJson.plugins = nxJson.plugins.map((p: string | { plugin: string; options?: object }) =>
      (typeof p === 'string' ? p : p.plugin) === '@specthis/nx'
        ? {
            plugin: '@specthis/nx',
            options: { ...(typeof p === 'string' ? {} : p.options), cache: { url: CACHE_URL, endpoint: moto.endpoint } },
          }
        : p,
    );
    origin.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    const scripts = readdirSync(origin.path('scripts')).filter((f) => f.endsWith('.py'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      // Before the first import: after the module docstring, which argparse reads.
      const code = origin.read(`scripts/${script}`).split('\n');
      const at = code.findIndex((l) => /^(import|from) /.test(l));
      expect([script, at]).not.toEqual([script, -1]);
      origin.write(`scripts/${script}`, [...code.slice(0, at), RECORD_RUN, ...code.slice(at)].join('\n'));
    }
    origin.commitAll('results cache in the bucket; every script records its runs');

    a = origin.clone('cache-a');
    aRun = run(a);
  });

  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
    restoreEnv?.();
  });

  it('clone A runs every entry once and pushes each to the bucket', async () => {
    expect(runsLogged(a)).toEqual(ENTRIES);
    for (const e of ENTRIES)
      expect(lines(aRun)).toContainEqual(expect.stringMatching(new RegExp(`^specthis: ${e} pushed to ${literal(CACHE_URL)}: `)));
    expect(fetched(aRun)).toEqual([]);
    expect(await listKeys()).toEqual(ENTRIES.flatMap((e) => [archiveKey(e), manifestKey(e)]).sort());
  });

  describe('clone B, fresh', () => {
    let b: TestWorkspace;
    let bRun: RunResult;
    beforeAll(() => {
      b = a.clone('cache-b');
      expect(b.exists('results') || b.exists('.specthis') || b.exists('reports/tables')).toBe(false);
      bRun = run(b, '--skip-nx-cache');
    });

    it('fetches every entry and runs none', () => {
      expect(fetched(bRun)).toEqual(ENTRIES);
      expect(b.exists('runs.log')).toBe(false);
    });

    it("has A's outputs byte for byte", () => {
      const files = outputs(a);
      const listed = Object.keys(files).filter((path) => files[path] !== 'dir');
      expect(listed.sort()).toEqual(ENTRIES.flatMap((e) => receipt(a, e).outputs.map((o: { path: string }) => o.path)).sort());
      expect(outputs(b)).toEqual(files);
    });

    it('calls every entry fresh, with receipts that name the bucket, and a cache status that skips them all', () => {
      const status = specthisJson(b, 'status') as { entries: { entry: string; realization: { state: string } }[] };
      expect(status.entries.map((e) => [e.entry, e.realization.state])).toEqual(ENTRIES.map((e) => [e, 'fresh']));
      for (const e of ENTRIES) {
        const r = receipt(b, e);
        expect([e, r.source?.cache, r.signature]).toEqual([e, CACHE_URL, receipt(a, e).signature]);
        expect(r.source.archivedBy).toBe(receipt(a, e).host);
      }
      const cache = specthisJson(b, 'cache', 'status') as {
        entries: { entry: string; action: string; cached: boolean; source?: { cache: string } }[];
      };
      expect(cache.entries.map((e) => [e.entry, e.action, e.cached, e.source?.cache])).toEqual(
        ENTRIES.map((e) => [e, 'skip', true, CACHE_URL]),
      );
    });
  });

  describe('clone C, after the bucket was tampered with', () => {
    let c: TestWorkspace;
    let cRun: RunResult;
    let linksBefore: string[];
    let passwd: string;
    beforeAll(async () => {
      const flipped = await getObject(archiveKey(FLIPPED));
      for (let i = 0; i < 8; i++) flipped[Math.floor(flipped.length / 2) + i] ^= 0xff;
      await plant(FLIPPED, flipped, false);
      await plant(HOSTILE, tarGz([ESCAPE, LINK, SETUID]), true);
      c = a.clone('cache-c');
      linksBefore = walk(c.root).links;
      passwd = readFileSync('/etc/passwd', 'utf8');
      cRun = run(c, '--skip-nx-cache');
    });

    it('runs exactly the two tampered entries here, and fetches the others', () => {
      expect(runsLogged(c)).toEqual([FLIPPED, HOSTILE].sort());
      expect(fetched(cRun)).toEqual(ENTRIES.filter((e) => e !== FLIPPED && e !== HOSTILE));
      // The local runs make A's bytes again, so the downstream signatures are A's and wage-table is fetched.
      expect(outputs(c)).toEqual(outputs(a));
      for (const e of ENTRIES)
        expect([e, receipt(c, e).source?.cache]).toEqual([e, e === FLIPPED || e === HOSTILE ? undefined : CACHE_URL]);
    });

    it('says why in one warning line per tampered entry', () => {
      const warnings = lines(cRun).filter((l) => l.includes(' not fetched: '));
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^cache ${literal(CACHE_URL)}: ${FLIPPED} not fetched: corrupt archive: sha256 mismatch \\(.*\\); .*; the entry runs here$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^cache ${literal(CACHE_URL)}: ${HOSTILE} not fetched: refused member (\\.\\./){5}escape \\(".." segment\\); specthis never writes such an archive: .*; the entry runs here$`,
          ),
        ),
      ]);
    });

    it('writes nothing outside the workspace, plants no link and no setuid file', () => {
      expect(ancestors(c.root).filter((dir) => existsSync(join(dir, 'escape')))).toEqual([]);
      const after = walk(c.root);
      expect(after.named('escape')).toEqual([]);
      expect(after.links).toEqual(linksBefore);
      expect(after.special).toEqual([]);
      expect(readFileSync('/etc/passwd', 'utf8')).toBe(passwd);
      // Staging is removed once empty; absent or empty, nothing of the refused archives is left in it.
      expect(c.exists('.specthis/staging') ? readdirSync(c.path('.specthis', 'staging')) : []).toEqual([]);
    });

    it('leaves the tampered entries in the bucket for someone to remove: the push after the local run finds them there', () => {
      for (const e of [FLIPPED, HOSTILE]) expect(lines(cRun)).toContain(`specthis: ${e} is in ${CACHE_URL} already`);
    });

    it('refuses a link or a setuid file on its own, and an archive its manifest does not vouch for', async () => {
      const fetchHostile = () => {
        c.exec('rm', ['-rf', HOSTILE_ROOT, `.specthis/receipts/${HOSTILE}.json`]);
        return specthis(c, 'cache', 'fetch', HOSTILE);
      };
      const cases: [Member[], boolean, RegExp][] = [
        [[LINK, SETUID, ESCAPE], true, new RegExp(`symlink member ${literal(HOSTILE_ROOT)}/passwd -> /etc/passwd refused`)],
        [[SETUID, ESCAPE, LINK], true, new RegExp(`setuid bit on ${literal(HOSTILE_ROOT)}/estimates\\.json refused`)],
        [[ESCAPE, LINK, SETUID], false, /corrupt archive: (sha256 mismatch|\d+ bytes, its manifest says \d+)/],
      ];
      for (const [members, vouch, reason] of cases) {
        await plant(HOSTILE, tarGz(members), vouch);
        const r = fetchHostile();
        expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(reason)]);
        expect(c.exists(HOSTILE_ROOT) || c.exists(`.specthis/receipts/${HOSTILE}.json`)).toBe(false);
      }
      const after = walk(c.root);
      expect([after.named('escape'), after.links, after.special]).toEqual([[], linksBefore, []]);
      expect(ancestors(c.root).filter((dir) => existsSync(join(dir, 'escape')))).toEqual([]);
    });
  });
});
