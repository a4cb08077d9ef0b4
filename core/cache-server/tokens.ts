import { createHash, timingSafeEqual } from 'node:crypto';

/** Which list a request's token was found in; `none` when it sent no bearer token, `off` under --no-auth. Logged, never the token. */
export type TokenList = 'write' | 'read' | 'none' | 'unknown' | 'off';

export interface TokenLists {
  /** May read and store (CI on the protected branch). */
  write: readonly string[];
  /** May only read (pull requests, laptops): their uploads answer 403, which Nx 24 accepts silently. */
  read: readonly string[];
}

export const WRITE_TOKENS_ENV = 'SPECTHIS_CACHE_SERVER_WRITE_TOKENS';
export const READ_TOKENS_ENV = 'SPECTHIS_CACHE_SERVER_READ_TOKENS';

/**
 * Long enough that guessing is out of reach (`openssl rand -hex 32` gives 64),
 * and only characters an HTTP header carries as they are: Nx 24 sends the
 * token as `Authorization: Bearer <token>` (nx's http_remote_cache.rs builds
 * the header with HeaderValue::from_str, which refuses anything else).
 */
const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 1024;
const TOKEN_CHARS = /^[\x21-\x2b\x2d-\x7e]+$/; // visible ASCII without the list separator ","

/** Both lists from the environment (comma-separated), and what is wrong with them; a problem never quotes a token. */
export function tokensFromEnv(env: NodeJS.ProcessEnv = process.env): { tokens: TokenLists; problems: string[] } {
  const problems: string[] = [];
  const list = (name: string): string[] => {
    const items = (env[name] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    items.forEach((t, i) => {
      const where = `${name}: token ${i + 1} of ${items.length}`;
      if (t.length < MIN_TOKEN_LENGTH || t.length > MAX_TOKEN_LENGTH)
        problems.push(
          `${where} has ${t.length} characters; use ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} (e.g. \`openssl rand -hex 32\`)`,
        );
      else if (!TOKEN_CHARS.test(t)) problems.push(`${where} holds a character other than visible ASCII (no spaces, no commas)`);
    });
    return items;
  };
  const tokens = { write: list(WRITE_TOKENS_ENV), read: list(READ_TOKENS_ENV) };
  const both = tokens.read.filter((t) => tokens.write.includes(t)).length;
  if (both)
    problems.push(
      `${both} token${both === 1 ? ' is' : 's are'} in both ${WRITE_TOKENS_ENV} and ${READ_TOKENS_ENV}; give each token one role`,
    );
  return { tokens, problems };
}

/**
 * Decides which list a request's `Authorization` header names. Every
 * configured token is compared, by SHA-256 digest so that every comparison
 * has the same length (timingSafeEqual needs that, and a length check would
 * leak the token's length), without stopping at the first match: the time
 * taken says nothing about which token, or how much of one, matched.
 */
export class TokenChecker {
  private readonly write: Buffer[];
  private readonly read: Buffer[];

  constructor(tokens: TokenLists) {
    this.write = tokens.write.map(digest);
    this.read = tokens.read.map(digest);
  }

  get count(): number {
    return this.write.length + this.read.length;
  }

  classify(authorization: string | undefined): TokenList {
    const token = bearer(authorization);
    if (token === undefined) return 'none';
    const presented = digest(token);
    let write = false;
    let read = false;
    for (const d of this.write) write = timingSafeEqual(d, presented) || write;
    for (const d of this.read) read = timingSafeEqual(d, presented) || read;
    return write ? 'write' : read ? 'read' : 'unknown';
  }
}

/** The token of `Bearer <token>` (scheme case-insensitive, RFC 9110), or undefined for no header or another scheme. */
function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return m?.[1];
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
