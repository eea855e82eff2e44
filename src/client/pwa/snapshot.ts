import type { Router } from 'vue-router'
import { chinaToday } from '../../core/domain/china-time.ts'
import { FIRST_ANSWERS_MAX_MS, liveQueriesAnswered } from '../db/live-answered.ts'
import { whenIdle } from '../composables/idle.ts'
import { SNAPSHOT_CACHE, SNAPSHOT_KEY, type HomeSnapshot } from './snapshot-format.ts'

/**
 * Save how the home screen looks now (see snapshot-format.ts). `root` is the element the app is
 * mounted in. Parts that only make sense live (the sync badge's "synced 2 minutes ago", the
 * update prompt) are left out, and so are style attributes (a strict CSP refuses inline styles).
 */
/** What this tab last wrote (null: nothing, or deleted since). */
let lastSaved: string | null = null

export async function saveHomeSnapshot(root: HTMLElement): Promise<void> {
  if (!('caches' in window)) return
  const copy = root.cloneNode(true) as HTMLElement
  copy.querySelectorAll('.sync-badge, .update-prompt, script, [data-no-snapshot]').forEach((el) => el.remove())
  for (const el of [copy, ...copy.querySelectorAll<HTMLElement>('[style]')]) el.removeAttribute('style')
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')].map((l) => new URL(l.href, location.href))
  const styles = [...new Set(links.filter((u) => u.origin === location.origin).map((u) => u.pathname))]
  const snapshot: HomeSnapshot = { html: copy.innerHTML, styles, day: chinaToday(new Date()) }
  // Saved after every sync: only a home that looks different is written again.
  const text = JSON.stringify(snapshot)
  if (text === lastSaved) return
  lastSaved = text
  const cache = await caches.open(SNAPSHOT_CACHE)
  await cache.put(SNAPSHOT_KEY, new Response(text, { headers: { 'content-type': 'application/json' } }))
}

/** Forget the snapshot (on sign-out: the next person must not see this one's home). */
export async function clearHomeSnapshot(): Promise<void> {
  lastSaved = null
  if ('caches' in window) await caches.delete(SNAPSHOT_CACHE)
}

/**
 * Keep the snapshot fresh: saved once the live home has shown its data, after each sync, and
 * whenever the app is left on the home screen (and deleted when nobody is signed in). Loaded once the first screen is idle.
 */
export function keepHomeSnapshot(
  root: HTMLElement,
  router: Router,
  signedIn: () => boolean,
  /** Subscribes to the end of each sync (what it brought shows on the home screen). */
  onSynced: (listener: () => void) => unknown,
): void {
  if (!signedIn()) void clearHomeSnapshot().catch(() => undefined)
  const save = () => {
    if (router.currentRoute.value.path !== '/' || !signedIn()) return
    void saveHomeSnapshot(root).catch(() => undefined)
  }
  router.afterEach((to) => {
    if (to.path === '/') void liveQueriesAnswered(FIRST_ANSWERS_MAX_MS).then(() => whenIdle(save))
  })
  if (router.currentRoute.value.path === '/') void liveQueriesAnswered(FIRST_ANSWERS_MAX_MS).then(() => whenIdle(save))
  onSynced(() => void liveQueriesAnswered(FIRST_ANSWERS_MAX_MS).then(() => whenIdle(save)))
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save()
  })
}
