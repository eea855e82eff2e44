import { nextTick, type App } from 'vue'
import type { Router } from 'vue-router'
import { FIRST_ANSWERS_MAX_MS, liveQueriesAnswered } from '../db/live-answered.ts'
import { onSignOut } from '../session/sign-out.ts'

/**
 * Mount the app. When the service worker painted a snapshot of the home screen into #app
 * (pwa/snapshot-format.ts), the app mounts beside it, hidden, and replaces it once the route is
 * resolved and its live queries have answered: the member never sees an empty home in between,
 * and the snapshot is gone within the interactive time. Returns the element the app lives in.
 */
export async function mountApp(app: App, router: Router): Promise<HTMLElement> {
  const host = document.getElementById('app') as HTMLElement
  const snapshot = host.querySelector('[data-snapshot]')
  const root = document.createElement('div')
  root.hidden = snapshot !== null
  host.append(root)
  app.mount(root)
  if (snapshot) {
    await router.isReady()
    await nextTick()
    if (router.currentRoute.value.path === '/') await liveQueriesAnswered(FIRST_ANSWERS_MAX_MS)
    await nextTick()
    snapshot.remove()
    root.hidden = false
  }
  return root
}

/** The snapshot is deleted on sign-out: the next person on this phone must not see this one's home. */
export function clearSnapshotOnSignOut(): void {
  onSignOut(() => import('../pwa/snapshot.ts').then((m) => m.clearHomeSnapshot()))
}
