import { READ_TOKENS_ENV, TokenChecker, tokensFromEnv, WRITE_TOKENS_ENV } from './tokens';

const CI = 'ci-0123456789abcdef0123456789abcdef';
const PR = 'pr-0123456789abcdef0123456789abcdef';
const LAPTOP = 'lap-0123456789abcdef0123456789abcde';

describe('tokens', () => {
  it('reads comma-separated lists, trimming blanks', () => {
    const { tokens, problems } = tokensFromEnv({ [WRITE_TOKENS_ENV]: ` ${CI} `, [READ_TOKENS_ENV]: `${PR},, ${LAPTOP}` });
    expect(problems).toEqual([]);
    expect(tokens).toEqual({ write: [CI], read: [PR, LAPTOP] });
    expect(tokensFromEnv({}).tokens).toEqual({ write: [], read: [] });
  });

  it('says what is wrong with a token without ever quoting it', () => {
    const weak = 'hunter2';
    const spaced = 'a token with spaces in it, long';
    const { problems } = tokensFromEnv({ [WRITE_TOKENS_ENV]: `${CI},${weak}`, [READ_TOKENS_ENV]: `${spaced},${CI}` });
    expect(problems).toEqual([
      `${WRITE_TOKENS_ENV}: token 2 of 2 has 7 characters; use 16 to 1024 (e.g. \`openssl rand -hex 32\`)`,
      `${READ_TOKENS_ENV}: token 1 of 3 holds a character other than visible ASCII (no spaces, no commas)`,
      `${READ_TOKENS_ENV}: token 2 of 3 has 4 characters; use 16 to 1024 (e.g. \`openssl rand -hex 32\`)`,
      `1 token is in both ${WRITE_TOKENS_ENV} and ${READ_TOKENS_ENV}; give each token one role`,
    ]);
    expect(tokensFromEnv({ [READ_TOKENS_ENV]: 'abcdefghijklmnop\u00e9' }).problems).toEqual([
      `${READ_TOKENS_ENV}: token 1 of 1 holds a character other than visible ASCII (no spaces, no commas)`,
    ]);
    for (const p of problems) expect(p).not.toContain(weak);
  });

  it('classifies a bearer header by list', () => {
    const checker = new TokenChecker({ write: [CI], read: [PR, LAPTOP] });
    expect(checker.count).toBe(3);
    expect(checker.classify(`Bearer ${CI}`)).toBe('write');
    expect(checker.classify(`bearer ${LAPTOP}`)).toBe('read');
    expect(checker.classify(`Bearer ${PR}`)).toBe('read');
    expect(checker.classify(`Bearer ${CI}x`)).toBe('unknown');
    expect(checker.classify(`Bearer ${CI.slice(0, -1)}`)).toBe('unknown');
    expect(checker.classify(undefined)).toBe('none');
    expect(checker.classify('')).toBe('none');
    expect(checker.classify(`Basic ${CI}`)).toBe('none');
    expect(checker.classify('Bearer ')).toBe('none');
  });
});
