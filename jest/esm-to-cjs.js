/**
 * Jest transformer for ESM-only packages under node_modules (unified, remark,
 * rehype and their micromark/mdast/hast helpers). Jest's module system cannot
 * load ES modules without --experimental-vm-modules, while Node itself
 * `require`s them fine; this rewrites `import`/`export` into CommonJS with
 * TypeScript's transpiler (no type checking, no bundling) so the code under
 * test sees the same modules it sees in production.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  allowJs: true,
  sourceMap: false,
  inlineSourceMap: false,
};

// The cache key must change when this file or the compiler does, or jest serves stale output.
const SELF = createHash('sha256').update(readFileSync(__filename)).update(ts.version).digest('hex');

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions: COMPILER_OPTIONS, reportDiagnostics: false });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(SELF).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
