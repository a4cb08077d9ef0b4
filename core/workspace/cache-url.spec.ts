import fc from 'fast-check';
import { CACHE_URL_FORMS, parseCacheUrl } from './cache-url';

const ROOT = '/work/ws';

describe('parseCacheUrl', () => {
  it.each([
    ['s3://my-bucket/team/cache', { kind: 's3', bucket: 'my-bucket', prefix: 'team/cache', url: 's3://my-bucket/team/cache' }],
    ['s3://my-bucket', { kind: 's3', bucket: 'my-bucket', prefix: '', url: 's3://my-bucket' }],
    ['s3://my-bucket/', { kind: 's3', bucket: 'my-bucket', prefix: '', url: 's3://my-bucket' }],
    ['  s3://a.b-c/x/  ', { kind: 's3', bucket: 'a.b-c', prefix: 'x', url: 's3://a.b-c/x' }],
    ['S3://my-bucket/p', { kind: 's3', bucket: 'my-bucket', prefix: 'p', url: 's3://my-bucket/p' }],
    ['file:///srv/cache', { kind: 'directory', path: '/srv/cache', url: 'file:///srv/cache' }],
    ['file:///srv/cache/', { kind: 'directory', path: '/srv/cache', url: 'file:///srv/cache' }],
    ['file://localhost/srv/my%20cache', { kind: 'directory', path: '/srv/my cache', url: 'file:///srv/my%20cache' }],
    ['/mnt/shared/cache', { kind: 'directory', path: '/mnt/shared/cache', url: 'file:///mnt/shared/cache' }],
    ['.specthis/cache', { kind: 'directory', path: '/work/ws/.specthis/cache', url: 'file:///work/ws/.specthis/cache' }],
    ['../shared/cache/', { kind: 'directory', path: '/work/shared/cache', url: 'file:///work/shared/cache' }],
  ])('%s', (input, location) => {
    expect(parseCacheUrl(input, ROOT)).toEqual({ ok: true, location });
  });

  it.each([
    ['', 'the cache URL is empty'],
    ['   ', 'the cache URL is empty'],
    ['s3://', 'the s3:// URL names no bucket'],
    ['s3:///prefix', 'the s3:// URL names no bucket'],
    [
      's3://AKIA:secret@bucket/p',
      'credentials do not belong in the cache URL; they come from the standard AWS chain (env, ~/.aws, SSO, instance role)',
    ],
    ['s3://My_Bucket/p', '"My_Bucket" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)'],
    ['s3://ab', '"ab" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)'],
    ['s3://10.0.0.1/p', '"10.0.0.1" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)'],
    ['s3://bucket/a/../b', 'prefix segment ".." may hold only letters, digits, ".", "_" and "-", and may not start with "."'],
    ['s3://bucket/a b', 'prefix segment "a b" may hold only letters, digits, ".", "_" and "-", and may not start with "."'],
    ['s3://bucket/p?region=eu-west-1', 'an s3:// cache URL takes no query or fragment; region and endpoint are options of their own'],
    ['file://relative/path', 'a file: URL must be absolute, as file:///abs/path (use a plain path for a relative folder)'],
    ['file:///srv/cache?x=1', 'a file: cache URL takes no query or fragment'],
    [
      'https://minio.local:9000/bucket',
      'https: is not a cache URL; an S3-compatible server is an s3:// URL plus the endpoint option (or AWS_ENDPOINT_URL_S3)',
    ],
    ['gs://bucket/p', 'unsupported scheme "gs:"'],
    ['~/cache', '"~" is not expanded here; give an absolute path or one relative to the workspace root'],
  ])('refuses %j', (input, problem) => {
    expect(parseCacheUrl(input, ROOT)).toEqual({ ok: false, problem, expected: CACHE_URL_FORMS, received: input });
  });

  it('never throws, whatever the input, and an s3 location never carries credentials', () => {
    for (const input of ['file://%', 'file:///%E0%A4%A', 's3://\u0000', '\u0000', 'file:', 's3:', ':']) {
      expect(() => parseCacheUrl(input, ROOT)).not.toThrow();
    }
    const text = fc.string({ unit: 'binary' });
    const inputs = fc.oneof(
      text,
      text.map((s) => `s3://${s}`),
      text.map((s) => `file://${s}`),
      text.map((s) => `s3://bucket/${s}`),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        const parsed = parseCacheUrl(input, ROOT);
        if (!parsed.ok) return parsed.received === input && parsed.expected === CACHE_URL_FORMS && !parsed.problem.includes('\n');
        return parsed.location.kind !== 's3' || !parsed.location.url.includes('@');
      }),
      { numRuns: 2000 },
    );
  });
});
