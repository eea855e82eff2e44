import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router.ts'
import { useSessionStore } from '../features/auth/session.store.ts'
import { useSettingsStore } from '../features/settings/settings.store.ts'
import { useUpdateStore } from '../pwa/update.store.ts'
import { useSyncStore } from '../features/sync/sync.store.ts'
import './theme.css'

async function start(): Promise<void> {
  const app = createApp(App)
  app.use(createPinia())
  useSettingsStore()
  const session = useSessionStore()
  // Who is signed in on this phone comes from IndexedDB: the app opens offline.
  await session.restore()
  useSyncStore()
  app.use(createAppRouter())
  app.mount('#app')
  void session.refresh()
  void useUpdateStore().register()
}

void start()
