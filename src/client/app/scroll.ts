import type { RouterScrollBehavior } from 'vue-router'

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

/**
 * A new page opens at its top; going back (or forward) returns to where the page was left, once
 * it is tall enough again. Changing only the query of the same page (a filter) keeps the place.
 */
export const scrollBehavior: RouterScrollBehavior = async (to, from, saved) => {
  if (saved) {
    await tallEnough(saved.top)
    return saved
  }
  if (to.path === from.path && from.matched.length > 0) return false
  return { top: 0 }
}
