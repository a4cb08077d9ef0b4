import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The `/_specthis/events` Server-Sent Events stream: `event: reload` with the
 * build number after each successful rebuild, a comment every `keepaliveMs`
 * so proxies and idle timers keep the connection. Each event carries the build
 * number as its id; a browser that reconnects (after a server restart, say)
 * sends it back as Last-Event-ID, and a page built from another build is told
 * to reload at once instead of waiting for the next change. A page opening its
 * first stream sends the build it was served from as `?since=` (it reads it
 * from the page's Server-Timing header): a rebuild that landed between serving
 * the page and opening the stream is not missed.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepalive: NodeJS.Timeout;

  constructor(keepaliveMs = 15_000) {
    this.keepalive = setInterval(() => this.broadcast(': keepalive\n\n'), keepaliveMs);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Answers one events request; `version` is the build being served, undefined while none rendered; `since` the build the page was served from, if it said. */
  attach(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, version: number | undefined, since?: string): void {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (req.method === 'HEAD') return void res.end();
    res.write(`retry: 2000\n${version === undefined ? '' : `id: ${version}\n`}\n`);
    const last = req.headers['last-event-id'] ?? since;
    if (version !== undefined && typeof last === 'string' && last !== String(version)) res.write(reloadEvent(version));
    this.clients.add(res);
    const drop = () => this.clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
  }

  reload(version: number): void {
    this.broadcast(reloadEvent(version));
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private broadcast(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

function reloadEvent(version: number): string {
  return `event: reload\nid: ${version}\ndata: ${version}\n\n`;
}
