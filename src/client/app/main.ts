import { createApp, watch } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router.ts'
import { useSessionStore } from '../session/session.store.ts'
import { useSettingsStore } from '../features/settings/settings.store.ts'
import { whenIdle } from './idle.ts'
import { uploadPhotosAfterSync } from '../photos/upload-after-sync.ts'
import { disablePushOnSignOut } from '../features/reminders/sign-out.ts'
import './theme.css'

async function start(): Promise<void> {
  // Features subscribe to what lower layers announce: a sync finished, someone signed out.
  uploadPhotosAfterSync()
  disablePushOnSignOut()
  const app = createApp(App)
  app.use(createPinia())
  useSettingsStore()
  const session = useSessionStore()
  // Who is signed in on this phone comes from IndexedDB: the app opens offline.
  await session.restore()
  // Sync (and Dexie with it) starts once someone is signed in: the login page draws without it.
  watch(
    () => session.signedIn,
    (signedIn) => {
      if (signedIn) void import('../sync/sync.store.ts').then(({ useSyncStore }) => useSyncStore())
    },
    { immediate: true },
  )
  app.use(createAppRouter())
  app.mount('#app')
  void session.refresh()
  // The service worker's registration (workbox-window) waits until the first screen is drawn.
  whenIdle(() => void import('../pwa/update.store.ts').then(({ useUpdateStore }) => useUpdateStore().register()))
}

void start()
