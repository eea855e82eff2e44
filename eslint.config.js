import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'
import prettier from 'eslint-config-prettier'

/** One config per server layer: its files may import no folder of `above` (and, like all server code, no client code). */
function serverLayers(layers) {
  return layers.map(([files, above]) => ({
    files: [files],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/client/**'], message: 'The server must not import client code.' },
            { regex: `^(\\.\\./)+(${above.join('|')})/`, message: `Imports run down the server's layers: not up to ${above.join(', ')}/.` },
          ],
        },
      ],
    },
  }))
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, __BUILD_ID__: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'vue/no-v-html': 'error',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module', extraFileExtensions: ['.vue'] } },
  },
  {
    // The dependency rule: client → core ← server, never client ↔ server; components never touch storage or fetch.
    files: ['src/client/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**'], message: 'The client must not import server code.' }] }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/client/**'], message: 'The server must not import client code.' }] }],
    },
  },
  // The server's layers, bottom to top: db and lib ← repositories ← sync ← services and ops ← plugins ← routes ← app.ts,
  // context.ts, main.ts. An import that runs back up fails (tests beside the code may reach higher, to test through it).
  ...serverLayers([
    ['src/server/{db,lib}/**/*.ts', ['repositories', 'sync', 'services', 'ops', 'plugins', 'routes']],
    ['src/server/repositories/**/*.ts', ['sync', 'services', 'ops', 'plugins', 'routes']],
    ['src/server/sync/**/*.ts', ['services', 'ops', 'plugins', 'routes']],
    ['src/server/{services,ops}/**/*.ts', ['plugins', 'routes']],
    ['src/server/plugins/**/*.ts', ['routes']],
  ]),
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/client/**', '**/server/**', 'node:*', 'dexie', 'vue'], message: 'core/ is pure and shared.' }] },
      ],
    },
  },
  {
    files: ['src/client/**/*.vue'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['dexie', '**/db/**', '**/api/**'], message: 'Components call stores, never storage or HTTP.' }] },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Components never call fetch: use a store.' }],
    },
  },
  // Layout is Prettier's (npm run format); lint keeps to correctness.
  prettier,
)
