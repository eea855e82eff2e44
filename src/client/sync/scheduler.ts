import { onLocalWrite } from '../db/write.ts'

export interface SchedulerOptions {
  /** Name of the cross-tab lock: one tab syncs at a time. */
  lockName: string
  intervalMs?: number
  afterWriteDelayMs?: number
  startDelayMs?: number
  /** While something is followed closely (the sign-in code, the roll): sync this often. */
  closeIntervalMs?: number
}

export interface Scheduler {
  stop(): void
  /**
   * Follow closely (true) while the organiser's sign-in code or roll is open: sync every few
   * seconds, so members' scans show within seconds; only while the app is in the foreground.
   */
  closely(on: boolean): void
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
 * shortly after a local write, and on a timer (every minute; every few seconds while followed
 * closely and in the foreground). No reliance on Background Sync (iOS lacks it).
 */
export function startScheduler(sync: () => Promise<void>, opts: SchedulerOptions): Scheduler {
  let running: Promise<void> | null = null
  let again = false
  let writeTimer: ReturnType<typeof setTimeout> | undefined
  let followed = false
  let closeTimer: ReturnType<typeof setInterval> | undefined

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
  /** The fast timer runs only while followed closely and visible; hidden, the app does not poll. */
  const follow = (): void => {
    const fast = followed && document.visibilityState === 'visible'
    if (fast && closeTimer === undefined) {
      closeTimer = setInterval(run, opts.closeIntervalMs ?? 3000)
      run()
    } else if (!fast && closeTimer !== undefined) {
      clearInterval(closeTimer)
      closeTimer = undefined
    }
  }
  const onVisible = (): void => {
    if (document.visibilityState === 'visible') run()
    follow()
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
  return {
    stop: () => {
      stopWrites()
      clearTimeout(first)
      clearTimeout(writeTimer)
      clearInterval(timer)
      clearInterval(closeTimer)
      closeTimer = undefined
      followed = false
      window.removeEventListener('online', run)
      document.removeEventListener('visibilitychange', onVisible)
    },
    closely: (on) => {
      followed = on
      follow()
    },
  }
}
