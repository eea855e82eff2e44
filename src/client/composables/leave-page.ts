import type { Router } from 'vue-router'

/**
 * After a save: back to the previous page of the app, or to `fallback` when this page was the
 * first one opened (a link, a reminder), where router.back() would leave the app (about:blank).
 * The router records the previous in-app page in the history state (`back`).
 */
export async function leavePage(router: Router, fallback: string): Promise<void> {
  if (router.options.history.state.back) router.back()
  else await router.replace(fallback)
}
