import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

/** One member of a hand-made archive; `type` as node-tar names them. */
export interface Member {
  path: string;
  body?: Buffer | string;
  type?: 'File' | 'OldFile' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO';
  linkpath?: string;
}

/**
 * A tar, member by member, as bytes: the headers are node-tar's encoding,
 * written raw so that a test can make what no well-behaved packer would
 * (a `..` member, a link out of the archive).
 */
export function tarBytes(members: readonly Member[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const body = Buffer.from(m.body ?? '');
    const type = m.type ?? 'File';
    const header = new Header({
      path: m.path,
      mode: type === 'Directory' ? 0o755 : 0o644,
      size: type === 'File' || type === 'OldFile' ? body.length : 0,
      type,
      linkpath: m.linkpath,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (type === 'File' || type === 'OldFile') blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** What Nx 24 uploads for a task: its outputs, then `terminalOutput` and `code` (4 bytes, big-endian), gzip'd. */
export function nxArchive(outputs: Record<string, Buffer | string> = { 'dist/out.txt': 'hello\n' }, code = 0, terminal = 'ran\n'): Buffer {
  const exit = Buffer.alloc(4);
  exit.writeUInt32BE(code);
  return gzipSync(
    tarBytes([
      ...Object.entries(outputs).map(([path, body]) => ({ path, body })),
      { path: 'terminalOutput', body: terminal, type: 'OldFile' as const },
      { path: 'code', body: exit, type: 'OldFile' as const },
    ]),
  );
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request on a connection of its own. */
export function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    if (options.body) headers['Content-Length'] = String(options.body.length);
    const req = request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Raw bytes on a socket, for what an HTTP client will not send (a body shorter
 * or longer than its Content-Length): resolves with everything the server
 * wrote, when it closes the connection or `waitMs` after the last byte.
 */
export function raw(base: string, bytes: Buffer, options: { closeAfterWrite?: boolean; waitMs?: number } = {}): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let got = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, options.waitMs ?? 2_000);
    };
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      arm();
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes, () => {
      if (options.closeAfterWrite) socket.end();
      arm();
    });
  });
}

/** The status codes of every response in `text` (a raw HTTP/1.1 exchange), in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}
