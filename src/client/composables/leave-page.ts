import type { Router } from 'vue-router'

/** The page leavePage is returning to, until the router has shown it (see `takeReturn`). */
let returning: string | null = null

/**
 * Whether the navigation to `fullPath` is leavePage's return to the page the member came from
 * (asked once, by the router's scroll behaviour: that page comes back where it was left).
 */
export function takeReturn(fullPath: string): boolean {
  const is = returning === fullPath
  returning = null
  return is
}

/**
 * After a save: back to the previous page of the app, or to `fallback` when this page was the
 * first one opened (a link, a reminder), where router.back() would leave the app (about:blank).
 * The router records the previous in-app page in the history state (`back`).
 *
 * The previous page is shown at once, in the task of the tap: router.back() would wait for the
 * browser's popstate, which Chromium delivers only after the next frame, so a saved row would
 * appear a frame or two late. The form's history entry becomes the previous page (replace), then
 * the browser steps back one entry without the router navigating again: the phone's back button
 * then leaves the previous page as it would have, and the form is never in the history to return to.
 */
export async function leavePage(router: Router, fallback: string): Promise<void> {
  const back = router.options.history.state.back
  if (typeof back !== 'string') {
    await router.replace(fallback)
    return
  }
  returning = back
  const failure = await router.replace(back)
  if (failure) {
    returning = null
    return
  }
  router.options.history.go(-1, false)
}
