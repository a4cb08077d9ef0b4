/** Unit tests sit next to the code; e2e tests run the packed plugin through the real nx CLI. */
/** Example and generated workspaces hold package.json files of their own; keep them out of jest's module map. */
const modulePathIgnorePatterns = ['<rootDir>/dist/', '<rootDir>/examples/', '<rootDir>/bench/.work/', '<rootDir>/.scratch/'];
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.base.json' }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/{core,plugin,executors,generators,cli}/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/e2e/support/global-teardown.ts',
      slowTestThreshold: 120,
    },
  ],
};
