import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExampleCopies } from './__fixtures__/workspace';
import { buildDashboard, writeDashboard } from './index';
import { RENDERER_VERSION } from './markdown';
import { RENDER_CACHE_FILE } from './render-cache';

// Its own test file: the renderer's memo is module state, and these tests fill it with made-up bodies.
const copies = new ExampleCopies();
afterAll(() => copies.cleanup());

describe('the rendered-body cache', () => {
  it('keeps the bodies of the last build in .specthis/cache, unlisted among the written files', () => {
    const root = copies.copy();
    const written = writeDashboard(root, buildDashboard(root));
    expect(written).toEqual(['specs/_index.json', 'specs/_routing.json', 'specs/specs.html']);
    const cache = JSON.parse(readFileSync(join(root, RENDER_CACHE_FILE), 'utf8'));
    expect(cache.version).toBe(RENDERER_VERSION);
    expect(Object.keys(cache.bodies)).toHaveLength(4);
    expect(Object.values(cache.bodies)).toContainEqual(expect.stringContaining('<h1>Clean wage panel</h1>'));
  });

  it('ignores a cache of another renderer version, or one that does not parse', () => {
    const first = copies.copy();
    writeDashboard(first, buildDashboard(first));
    const cache = JSON.parse(readFileSync(join(first, RENDER_CACHE_FILE), 'utf8'));
    for (const key of Object.keys(cache.bodies)) cache.bodies[key] = '<p>from the cache</p>';
    writeFileSync(join(first, RENDER_CACHE_FILE), JSON.stringify({ ...cache, version: 'specthis-dashboard-markdown/0' }));
    expect(buildDashboard(copies.copy(first)).html).not.toContain('from the cache');
    writeFileSync(join(first, RENDER_CACHE_FILE), '{ damaged');
    expect(buildDashboard(copies.copy(first)).html).toContain('Clean wage panel');
  });

  it('serves a body from the cache a previous process wrote', () => {
    const first = copies.copy();
    writeDashboard(first, buildDashboard(first));
    const cache = JSON.parse(readFileSync(join(first, RENDER_CACHE_FILE), 'utf8'));
    for (const key of Object.keys(cache.bodies)) cache.bodies[key] = '<p>from the cache</p>';
    writeFileSync(join(first, RENDER_CACHE_FILE), JSON.stringify(cache));
    // A new workspace path is read afresh, as in a new process; its bodies have the same keys.
    const second = copies.copy(first);
    expect(buildDashboard(second).html.match(/from the cache/g)).toHaveLength(4);
  });
});
