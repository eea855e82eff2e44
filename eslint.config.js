import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'
import prettier from 'eslint-config-prettier'
import { readdirSync } from 'node:fs'

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

/**
 * The client's layers, top down: app → features → photos, sync, components, composables, pwa →
 * session → db, api → core. A file may import its own layer and those below, never one above
 * (tests beside the code may reach higher, to test through it; testing/ is their harness).
 * A feature imports another feature only where FEATURE_IMPORTS allows it.
 */
const CLIENT_LAYERS = [
  ['src/client/app/**', []],
  ['src/client/{photos,sync,components,composables,pwa}/**', ['app', 'features']],
  ['src/client/session/**', ['app', 'features', 'photos', 'sync', 'components', 'composables', 'pwa']],
  ['src/client/{db,api}/**', ['app', 'features', 'photos', 'sync', 'components', 'composables', 'pwa', 'session']],
]
/**
 * The imports allowed between features (paths under src/client/features/). Every feature reads
 * people through the people feature; 首页 composes the other features' cards; 我的 shows the
 * party cards and settings; the administrator's person page lists that person's devices.
 */
const FEATURE_IMPORTS = {
  '*': ['people/people.store.ts', 'people/people.repo.ts'],
  home: [
    'meetings/HomeMeetingsCard.vue',
    'meetings/HomeRectifyCard.vue',
    'meetings/pending.ts',
    'study/study-summary.ts',
    'study/study.queries.ts',
    'reminders/HomeNotices.vue',
    'visits/HomeFollowupsCard.vue',
    'admin/HomeAdminGuide.vue',
    'party/PoliticalBirthdayCard.vue',
    'party/BranchBirthdaysCard.vue',
    'party/party.store.ts',
    'settings/settings.store.ts',
  ],
  me: ['party/CalendarCard.vue', 'party/PartyInfoCard.vue', 'settings/settings.store.ts'],
  admin: ['account/devices.store.ts'],
}
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The one file that may call Dexie's liveQuery: every live query goes through its useLiveQuery. */
const LIVE_QUERY_OWNER = 'src/client/db/live.ts'

/**
 * no-restricted-imports for static imports and no-restricted-syntax for import(), from the same regexes (esquery's have no '/').
 * `liveQueryOwner`: the files are LIVE_QUERY_OWNER, which may import Dexie's liveQuery.
 */
function clientRestrictions(files, forbidden, vueFiles, liveQueryOwner = false) {
  const patterns = [
    { group: ['**/server/**'], message: 'The client must not import server code.' },
    ...forbidden.map(([regex, message]) => ({ regex, message })),
    ...(vueFiles ? [{ group: ['dexie', '**/db/**', '**/api/**'], message: 'Components call stores, never storage or HTTP.' }] : []),
    ...(vueFiles || liveQueryOwner
      ? []
      : [
          {
            group: ['dexie'],
            importNames: ['liveQuery'],
            message: `A live query goes through useLiveQuery (${LIVE_QUERY_OWNER}): it pauses while a many-page pull writes, instead of reading again after every page.`,
          },
        ]),
  ]
  return {
    files,
    ...(vueFiles ? {} : { ignores: ['**/*.test.ts'] }),
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': [
        'error',
        ...forbidden.map(([regex, message]) => ({
          selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
          message,
        })),
      ],
      ...(vueFiles ? { 'no-restricted-globals': ['error', { name: 'fetch', message: 'Components never call fetch: use a store.' }] } : {}),
    },
  }
}

function clientLayers() {
  const up = (above) =>
    above.length
      ? [
          [
            `^(\\.\\./)+(${above.join('|')}|testing)/`,
            `Imports run down the client's layers: not up to ${above.join(', ')}/ (nor testing/, the tests' harness).`,
          ],
        ]
      : []
  const features = readdirSync(new URL('./src/client/features', import.meta.url), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
  const configs = []
  for (const vueFiles of [false, true]) {
    const ext = vueFiles ? 'vue' : 'ts'
    // Tests and the app itself: only the rule for every client file.
    configs.push(clientRestrictions([`src/client/**/*.${ext}`], [], vueFiles))
    for (const [glob, above] of CLIENT_LAYERS) configs.push(clientRestrictions([`${glob}/*.${ext}`], up(above), vueFiles))
    for (const feature of features) {
      const allowed = [...FEATURE_IMPORTS['*'], ...(FEATURE_IMPORTS[feature] ?? [])].map((path) => `${escapeRegex(path)}$`)
      const otherFeature = [
        `^\\.\\./(?!${allowed.join('|')})(?!${feature}/)[^./][^/]*/`,
        `A feature imports another only where eslint.config.js's FEATURE_IMPORTS allows it (${feature}).`,
      ]
      configs.push(clientRestrictions([`src/client/features/${feature}/**/*.${ext}`], [...up(['app']), otherFeature], vueFiles))
    }
  }
  // The owner of live queries keeps its layer's rules (db: the last layer listed).
  const [, dbAbove] = CLIENT_LAYERS.at(-1)
  configs.push(clientRestrictions([LIVE_QUERY_OWNER], up(dbAbove), false, true))
  return configs
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
  // The dependency rule: client → core ← server, never client ↔ server; components never touch storage or fetch;
  // the client's layers (see CLIENT_LAYERS and FEATURE_IMPORTS above).
  ...clientLayers(),
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
  // Layout is Prettier's (npm run format); lint keeps to correctness.
  prettier,
)
