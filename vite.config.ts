import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { VitePWA } from 'vite-plugin-pwa'
import { firstLoadBudget } from './scripts/first-load-budget.ts'
import { vantWithoutIconFont } from './scripts/vant-without-icon-font.ts'

/** Pages a visit can start on: their imports are preloaded alongside them. */
const FIRST_SCREENS = /(^|\/)(HomePage|LoginPage|ActivatePage|SetupPage|SignInLinkPage)-[\w-]+\.js$/

export default defineConfig({
  define: {
    __BUILD_ID__: JSON.stringify(process.env.SUIXING_BUILD_ID ?? new Date().toISOString().slice(0, 16).replace('T', ' ')),
  },
  plugins: [
    vantWithoutIconFont(),
    // Every component is <script setup> (Vant's too: props, emits and setup only): no Options API in the bundle.
    vue({ features: { optionsAPI: false } }),
    Components({ resolvers: [VantResolver()], dts: false, dirs: [] }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/client/pwa',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        name: '党建随行',
        short_name: '党建随行',
        description: '离线可用的党员学习记录、三会一课签到与党建台账',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#c8161d',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: { globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest}'] },
      devOptions: { enabled: false },
    }),
    // The quality guide's budgets (../shared/guide/quality.md): the build fails over either.
    firstLoadBudget({
      screens: [
        { name: 'home', page: 'src/client/features/home/HomePage.vue', budgetBytes: 90 * 1024 },
        { name: 'login', page: 'src/client/features/auth/LoginPage.vue', budgetBytes: 60 * 1024 },
      ],
    }),
  ],
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    target: 'es2020',
    // Read by the server (src/server/first-screens.ts) to announce the login page's chunks in its HTML.
    manifest: true,
    rolldownOptions: {
      output: {
        // Vue, Pinia and the HTTP client in one chunk with the app shell's libraries: every screen
        // loads them, and one file compresses better than Rolldown's default split of them. The
        // privacy calls stay with the privacy pages (loaded after the first screen).
        advancedChunks: {
          groups: [
            { name: 'shell', test: /[\\/]node_modules[\\/](@vue|vue|pinia)[\\/]|[\\/]src[\\/]client[\\/]api[\\/](?!privacy-|admin-)/ },
          ],
        },
      },
    },
    modulePreload: {
      // Browsers without <link rel=modulepreload> (Safari before 17) still load everything, one level later.
      polyfill: false,
      // The route table is in the entry, with each lazy page's list of files to preload: bytes of
      // every first load. Only the pages a visit can open on (home, the public pages, a scanned
      // sign-in link) keep theirs; the others are opened from inside the app, by then mostly from
      // the service worker's precache, and fetch their imports as they parse.
      resolveDependencies: (file, deps) => (/(^|\/)[A-Za-z]+Page-[\w-]+\.js$/.test(file) && !FIRST_SCREENS.test(file) ? [] : deps),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Page tests (happy-dom) mount Vant components: Vite transforms them, so their CSS imports load.
    server: { deps: { inline: ['vant'] } },
  },
})
