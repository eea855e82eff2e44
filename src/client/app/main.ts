import { createApp, watch } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter, loadMoreRoutes } from './router.ts'
import { useSessionStore } from '../session/session.store.ts'
import { useSettingsStore } from '../features/settings/settings.store.ts'
import { whenIdle } from '../composables/idle.ts'
import { clearSnapshotOnSignOut, mountApp } from './snapshot-swap.ts'
import { onSynced } from '../sync/synced.ts'
import { uploadPhotosAfterSync } from '../photos/upload-after-sync.ts'
import { disablePushOnSignOut } from '../features/reminders/sign-out.ts'
import { followSystemTextScale } from './system-text-scale.ts'
import './theme.css'

async function start(): Promise<void> {
  // Features subscribe to what lower layers announce: a sync finished, someone signed out.
  uploadPhotosAfterSync()
  disablePushOnSignOut()
  clearSnapshotOnSignOut()
  const app = createApp(App)
  app.use(createPinia())
  useSettingsStore()
  followSystemTextScale()
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
  const router = createAppRouter()
  app.use(router)
  // Over the home screen's snapshot when the service worker painted one (snapshot-swap.ts).
  const mounted = mountApp(app, router)
  void session.refresh()
  // The service worker's registration (workbox-window) waits until the first screen is drawn.
  whenIdle(() => void import('../pwa/update.store.ts').then(({ useUpdateStore }) => useUpdateStore().register()))
  // The other pages' table, beside the first paint (a tap on another page before then loads it itself).
  whenIdle(() => void loadMoreRoutes(router))
  const root = await mounted
  whenIdle(() => void import('../pwa/snapshot.ts').then((m) => m.keepHomeSnapshot(root, router, () => session.signedIn, onSynced)))
}

void start()
