import { nextTick, type App } from 'vue'
import type { Router } from 'vue-router'
import { liveQueriesAnswered } from '../db/live-answered.ts'
import { onSignOut } from '../session/sign-out.ts'
import { whenIdle } from './idle.ts'

/** How long a painted snapshot may wait for the live home's data before the app shows anyway. */
const MAX_WAIT_MS = 1500

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
    if (router.currentRoute.value.path === '/') await liveQueriesAnswered(MAX_WAIT_MS)
    await nextTick()
    snapshot.remove()
    root.hidden = false
  }
  return root
}

/**
 * Keep the snapshot fresh: saved once the live home has shown its data, and whenever the app is
 * left on the home screen; deleted on sign-out. The saving code loads only then.
 */
export function keepHomeSnapshot(root: HTMLElement, router: Router, signedIn: () => boolean): void {
  const save = () => {
    if (router.currentRoute.value.path !== '/' || !signedIn()) return
    void import('../pwa/snapshot.ts').then((m) => m.saveHomeSnapshot(root)).catch(() => undefined)
  }
  router.afterEach((to) => {
    if (to.path === '/') void liveQueriesAnswered(MAX_WAIT_MS).then(() => whenIdle(save))
  })
  if (router.currentRoute.value.path === '/') void liveQueriesAnswered(MAX_WAIT_MS).then(() => whenIdle(save))
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save()
  })
  onSignOut(() => import('../pwa/snapshot.ts').then((m) => m.clearHomeSnapshot()))
}
