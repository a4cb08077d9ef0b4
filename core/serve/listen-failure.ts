/** Why the server could not listen on `host:port`, said the way a user can act on it; undefined for other errors. */
export function listenFailure(error: unknown, host: string, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use; pass another port (0 picks a free one)`;
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied; use a port above 1023`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `cannot listen on ${where}: not a local address; use 127.0.0.1 or localhost`;
  return undefined;
}
