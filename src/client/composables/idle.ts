/**
 * Runs `fn` once the page has loaded and the main thread is idle (or after `timeout` ms at the
 * latest): work the first screen does not need waits behind it.
 */
export function whenIdle(fn: () => void, timeout = 2000): void {
  if (typeof window === 'undefined') return fn()
  const schedule = () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(() => fn(), { timeout })
    else setTimeout(fn, 1)
  }
  if (document.readyState === 'complete') schedule()
  else window.addEventListener('load', schedule, { once: true })
}
