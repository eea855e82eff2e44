import { chinaToday } from '../../core/domain/china-time.ts'
import { SNAPSHOT_CACHE, SNAPSHOT_KEY, type HomeSnapshot } from './snapshot-format.ts'

/**
 * Save how the home screen looks now (see snapshot-format.ts). `root` is the element the app is
 * mounted in. Parts that only make sense live (the sync badge's "synced 2 minutes ago", the
 * update prompt) are left out, and so are style attributes (a strict CSP refuses inline styles).
 */
export async function saveHomeSnapshot(root: HTMLElement): Promise<void> {
  if (!('caches' in window)) return
  const copy = root.cloneNode(true) as HTMLElement
  copy.querySelectorAll('.sync-badge, .update-prompt, script, [data-no-snapshot]').forEach((el) => el.remove())
  for (const el of [copy, ...copy.querySelectorAll<HTMLElement>('[style]')]) el.removeAttribute('style')
  const styles = [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')]
    .map((l) => new URL(l.href, location.href))
    .filter((u) => u.origin === location.origin)
    .map((u) => u.pathname)
  const snapshot: HomeSnapshot = { html: copy.innerHTML, styles, day: chinaToday(new Date()) }
  const cache = await caches.open(SNAPSHOT_CACHE)
  await cache.put(SNAPSHOT_KEY, new Response(JSON.stringify(snapshot), { headers: { 'content-type': 'application/json' } }))
}

/** Forget the snapshot (on sign-out: the next person must not see this one's home). */
export async function clearHomeSnapshot(): Promise<void> {
  if ('caches' in window) await caches.delete(SNAPSHOT_CACHE)
}
