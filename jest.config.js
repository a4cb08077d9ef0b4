/** Unit tests sit next to the code; e2e tests run the packed plugin in a real Nx workspace. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.base.json', diagnostics: { warnOnly: false } }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/{core,plugin,executors,generators,cli}/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
    },
  ],
};
