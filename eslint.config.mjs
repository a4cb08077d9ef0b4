// Lint for the plugin's own code. Three rules carry the architecture (docs/architecture.md):
// no import cycles anywhere, core/ imports nothing from Nx, and cli/ imports only from core/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

const NX_IMPORTS = {
  group: ['nx', 'nx/*', '@nx/*'],
  message: 'core/ is the engine and imports nothing from Nx; translate in plugin/, executors/ or generators/.',
};
/**
 * core/'s layers, lowest first: a module imports only from layers below its
 * own (and its own folder), so no two folders can import each other, not
 * even through a third. docs/architecture.md says what each layer holds.
 */
const CORE_LAYERS = [
  'diagnostics',
  'table.ts',
  'layout.ts',
  'package.ts',
  'spec',
  'naming.ts',
  'fs',
  'workspace',
  'scaffold',
  'hash',
  'receipts',
  'lock',
  'state',
  'process',
  'slurm',
  'cache',
  'run',
  'audit',
  'dashboard',
  'serve',
  'cache-server',
];
const layerZones = CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  target: `./core/${layer}`,
  from: CORE_LAYERS.slice(i + 1).map((above) => `./core/${above}`),
  message: `core/${layer} sits below these in core's layers (eslint.config.mjs, docs/architecture.md): move the shared piece down instead.`,
}));
const OUTSIDE_CORE = ['./plugin', './executors', './generators', './cli', './index.ts'];

const NOT_FROM_CLI = {
  group: ['**/plugin', '**/plugin/*', '**/executors/*', '**/generators/*'],
  message: 'cli/ imports only from core/: move what it needs down into core/.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-output/**',
      'bench/.work/**',
      '.scratch/**',
      'examples/**',
      '**/__fixtures__/**/*.{js,py}',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.json'] } }, 'import-x/extensions': ['.ts', '.js'] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true, commonjs: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // The plugin's warm path defers loading the parser with require() (plugin/create-nodes.ts).
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // Tests pin messages character for character, spaces included.
  { files: ['**/*.spec.ts'], rules: { 'no-regex-spaces': 'off' } },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.spec.ts', 'core/**/__fixtures__/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NX_IMPORTS] }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...layerZones,
            { target: './core', from: OUTSIDE_CORE, message: 'core/ is the engine: it imports nothing from the front ends.' },
          ],
        },
      ],
    },
  },
  { files: ['core/**/*.spec.ts', 'core/**/__fixtures__/**'], rules: { 'no-restricted-imports': ['error', { patterns: [NX_IMPORTS] }] } },
  { files: ['cli/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [NOT_FROM_CLI] }] } },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Code that runs in the page (templates/dashboard, concatenated into one script) or in page.evaluate (bench).
  { files: ['bench/dashboard-browser.js', 'bench/dashboard-reload.js'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['templates/dashboard/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
    // One page script split into files: a name defined in one file is used in another.
    rules: { 'no-undef': 'off', 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
  { files: ['eslint.config.mjs'], languageOptions: { sourceType: 'module' } },
);
