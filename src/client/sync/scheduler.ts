import { onLocalWrite } from '../db/write.ts'

export interface SchedulerOptions {
  /** Name of the cross-tab lock: one tab syncs at a time. */
  lockName: string
  intervalMs?: number
  afterWriteDelayMs?: number
  startDelayMs?: number
}

async function withLock(name: string, fn: () => Promise<void>): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  if (!locks) return fn()
  // Another tab holds it: that tab is syncing the same account right now.
  await locks.request(name, { ifAvailable: true }, async (lock) => {
    if (lock) await fn()
  })
}

/**
 * Runs `sync` on start, when the network returns, when the app comes back to the foreground,
 * shortly after a local write, and on a timer. No reliance on Background Sync (iOS lacks it).
 */
export function startScheduler(sync: () => Promise<void>, opts: SchedulerOptions): () => void {
  let running: Promise<void> | null = null
  let again = false
  let writeTimer: ReturnType<typeof setTimeout> | undefined

  const run = (): void => {
    if (running) {
      again = true
      return
    }
    running = withLock(opts.lockName, sync)
      .catch((err: unknown) => console.error('sync failed', err))
      .finally(() => {
        running = null
        if (again) {
          again = false
          run()
        }
      })
  }
  const onVisible = (): void => {
    if (document.visibilityState === 'visible') run()
  }
  const stopWrites = onLocalWrite(() => {
    clearTimeout(writeTimer)
    writeTimer = setTimeout(run, opts.afterWriteDelayMs ?? 800)
  })
  window.addEventListener('online', run)
  document.addEventListener('visibilitychange', onVisible)
  const timer = setInterval(run, opts.intervalMs ?? 60_000)
  // On start, but after the first screen is up: the member sees their data first.
  const first = setTimeout(run, opts.startDelayMs ?? 300)
  return () => {
    stopWrites()
    clearTimeout(first)
    clearTimeout(writeTimer)
    clearInterval(timer)
    window.removeEventListener('online', run)
    document.removeEventListener('visibilitychange', onVisible)
  }
}
