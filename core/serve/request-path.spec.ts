import { declaredPath } from './request-path';

const DECLARED = new Set(['results/a/out.json', 'reports/tables/t 1.tex', 'results/ü.json', '.env', 'node_modules/x/y.json']);

describe('declaredPath', () => {
  it.each([
    ['/files/results/a/out.json', 'results/a/out.json'],
    ['/files/results/a/out.json?x=1', 'results/a/out.json'],
    ['/files/reports/tables/t%201.tex', 'reports/tables/t 1.tex'],
    ['/files/results/%C3%BC.json', 'results/ü.json'],
    ['/files/results%2Fa%2Fout.json', 'results/a/out.json'],
  ])('%s names %s', (raw, path) => {
    expect(declaredPath(raw, DECLARED)).toEqual({ ok: true, path });
  });

  it.each([
    '/files/../package.json',
    '/files/results/../results/a/out.json',
    '/files/%2e%2e/package.json',
    '/files/%2e%2e%2fpackage.json',
    '/files/%252e%252e/package.json',
    '/files/results/a/out.json%2500',
    '/files/..\\package.json',
    '/files/..%5cpackage.json',
    '/files/%c0%ae%c0%ae/package.json',
    '/files/results/a/out.json%00',
    '/files//etc/passwd',
    '/files/%2Fetc%2Fpasswd',
    '/files/./results/a/out.json',
    '/files/results//a/out.json',
    '/files/',
    '/files/%',
    '/files/.env',
    '/files/.git/config',
    '/files/node_modules/x/y.json',
    '/files/package.json',
    '/files/specs/data/compute-clean.md',
    '/other/results/a/out.json',
  ])('refuses %s', (raw) => {
    const verdict = declaredPath(raw, DECLARED);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect([400, 404]).toContain(verdict.status);
  });
});
