import type { RouteLocationNormalized, RouterScrollBehavior } from 'vue-router'
import { takeReturn } from '../composables/leave-page.ts'

/** How long a page that comes back may take to grow tall enough (its rows come from IndexedDB) before the position is restored anyway. */
const RESTORE_WAIT_MS = 1000

function tallEnough(top: number): Promise<void> {
  const start = Date.now()
  return new Promise((resolve) => {
    const check = () => {
      if (document.documentElement.scrollHeight - window.innerHeight >= top || Date.now() - start > RESTORE_WAIT_MS) resolve()
      else requestAnimationFrame(check)
    }
    check()
  })
}

/** Where each page was scrolled to when it was last left (by full path), for a return by leavePage. */
const leftAt = new Map<string, number>()

/** Called before every navigation, while the page being left is still on screen. */
export function rememberPosition(from: RouteLocationNormalized): void {
  if (from.matched.length > 0) leftAt.set(from.fullPath, window.scrollY)
}

/**
 * A new page opens at its top; going back (or forward) returns to where the page was left, once
 * it is tall enough again (also when a form returns by leavePage). Changing only the query of the same page (a filter) keeps the place.
 */
export const scrollBehavior: RouterScrollBehavior = async (to, from, saved) => {
  // Back after a save (leavePage replaces rather than waiting for the browser's history).
  const returnedTop = takeReturn(to.fullPath) ? leftAt.get(to.fullPath) : undefined
  if (!saved && returnedTop !== undefined) saved = { left: 0, top: returnedTop }
  if (saved) {
    await tallEnough(saved.top)
    return saved
  }
  if (to.path === from.path && from.matched.length > 0) return false
  return { top: 0 }
}
