import type { Router } from 'vue-router'
import type { PrivacyState } from '../../../core/contracts/privacy.ts'
import type { PrivacyApi } from '../../api/privacy-endpoints.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { flushConsents } from '../../composables/consent.ts'

/**
 * The first-login (and new-version) check of the 个人信息保护说明, loaded by the router after the
 * first page is on screen (app/router.ts), never with the home page. It asks the server once per
 * signed-in person and app start; a phone that is offline is never held up: it keeps its data and
 * the check runs when the connection returns. While the member has not accepted the current
 * version, every page but the notice (and the public ones) leads to it: the gate adds that guard
 * to the router itself when it is first loaded, so the app shell carries none of it.
 */
let required = false
let checkedFor: string | null = null
let waitingOnline = false
const guarded = new WeakSet<Router>()
/** Where the notice is read and accepted (我的 › 个人信息与授权, in its accepting form). */
export const NOTICE_PATH = '/me/privacy'

function guard(router: Router): void {
  if (guarded.has(router)) return
  guarded.add(router)
  router.beforeEach((to) => {
    if (required && !to.meta.public && to.path !== NOTICE_PATH) return { path: NOTICE_PATH, query: { next: to.fullPath } }
    return true
  })
}

export const mustAccept = (): boolean => required

/** The member accepted: pages open again. */
export function accepted(): void {
  required = false
  if (typeof document !== 'undefined') document.documentElement.dataset.privacy = 'accepted'
}

/** Signed out (declined, or another person on this phone): the next sign-in is checked again. */
export function resetPrivacyGate(): void {
  required = false
  checkedFor = null
}

export async function checkPrivacy(router: Router, api?: PrivacyApi): Promise<PrivacyState | null> {
  guard(router)
  const session = useSessionStore()
  const user = session.user
  const db = session.db
  if (!user || !db || checkedFor === user.id) return null
  const retry = () => {
    if (waitingOnline || typeof window === 'undefined') return
    waitingOnline = true
    window.addEventListener(
      'online',
      () => {
        waitingOnline = false
        void checkPrivacy(router, api)
      },
      { once: true },
    )
  }
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    retry()
    return null
  }
  // Also sends consents decided offline since the last connection.
  const state = await flushConsents(db, api)
  if (!state) {
    retry()
    return null
  }
  if (session.user?.id !== user.id) return null
  checkedFor = user.id
  required = state.acceptedVersion === null || state.acceptedVersion < state.currentVersion
  if (typeof document !== 'undefined') document.documentElement.dataset.privacy = required ? 'required' : 'accepted'
  const here = router.currentRoute.value
  if (required && !here.meta.public && here.path !== NOTICE_PATH)
    await router.replace({ path: NOTICE_PATH, query: here.fullPath === '/' ? {} : { next: here.fullPath } })
  return state
}
