/** Unit tests sit next to the code; e2e tests run the packed plugin through the real nx CLI. */
const { join } = require('node:path');
const { esmPackages, packagesPattern } = require('./jest/esm-packages');

/** Example and generated workspaces hold package.json files of their own; keep them out of jest's module map. */
const modulePathIgnorePatterns = ['<rootDir>/dist/', '<rootDir>/examples/', '<rootDir>/bench/.work/', '<rootDir>/.scratch/'];
/**
 * ESM-only dependencies (unified, remark, rehype and their helpers) are
 * rewritten to CommonJS; every other node_module stays untransformed, as
 * before. Node itself `require`s them at runtime; jest's module system cannot.
 */
const esm = packagesPattern(esmPackages(join(__dirname, 'node_modules')));
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.base.json' }],
  [`^.+/node_modules/${esm}/.+\\.js$`]: '<rootDir>/jest/esm-to-cjs.js',
};
const transformIgnorePatterns = [`/node_modules/(?!${esm}/)`];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/{core,plugin,executors,generators,cli}/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/e2e/support/global-teardown.ts',
      slowTestThreshold: 120,
    },
  ],
};
