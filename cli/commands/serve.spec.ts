import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../exit';
import { runCli } from '../test-io';
import { copyExample } from '../../scripts/example-copy';

/** What `specthis serve` refuses before it serves anything; e2e/serve-*.spec.ts drive a running server. */
describe('specthis serve, refusals', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'specthis-cli-serve-'));
    copyExample(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    [['--port', 'http'], /--port is a whole number from 0 to 65535, got "http"/],
    [['--port', '70000'], /--port is a whole number from 0 to 65535, got "70000"/],
    [['--port', '-1'], /--port/],
    [['--debounce', '0.5'], /--debounce is a whole number from 0 to 60000, got "0.5"/],
    [['extra'], /unexpected argument "extra"; see `specthis serve --help`/],
    [['--watch'], /Unknown option '--watch'/],
  ])('%j is a usage error that says what is wrong', async (args, message) => {
    const r = await runCli(root, 'serve', ...args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('says so, and exits 2, when the port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = await runCli(root, 'serve', '--port', String(port));
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toMatch(new RegExp(`specthis serve: .*127\\.0\\.0\\.1:${port}`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
