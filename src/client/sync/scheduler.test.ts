// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startScheduler, type Scheduler } from './scheduler.ts'

let visibility: DocumentVisibilityState = 'visible'
const setVisibility = (v: DocumentVisibilityState) => {
  visibility = v
  document.dispatchEvent(new Event('visibilitychange'))
}

let scheduler: Scheduler
let runs = 0
const tick = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms)
}

beforeEach(() => {
  vi.useFakeTimers()
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
  visibility = 'visible'
  runs = 0
  scheduler = startScheduler(
    () => {
      runs++
      return Promise.resolve()
    },
    { lockName: 'test', startDelayMs: 0 },
  )
})
afterEach(() => {
  scheduler.stop()
  vi.useRealTimers()
})

describe('sync timing while the organiser watches the sign-ins', () => {
  it('syncs once a minute by default, every 3 s while followed closely, and back to once a minute when the page closes', async () => {
    await tick(100)
    expect(runs).toBe(1) // on start
    await tick(30_000)
    expect(runs).toBe(1)

    scheduler.closely(true) // the sign-in code is shown
    await tick(100)
    expect(runs).toBe(2) // at once
    await tick(9_000)
    expect(runs).toBe(5) // every 3 s

    scheduler.closely(false) // the page closed
    const before = runs
    await tick(20_000)
    expect(runs - before).toBeLessThanOrEqual(1) // only the minute timer
  })

  it('stops polling while the app is hidden and resumes when it comes back', async () => {
    await tick(100)
    scheduler.closely(true)
    await tick(100)
    setVisibility('hidden')
    const hidden = runs
    await tick(15_000)
    expect(runs).toBe(hidden)
    setVisibility('visible')
    await tick(100)
    expect(runs).toBeGreaterThan(hidden)
    const back = runs
    await tick(6_000)
    expect(runs - back).toBeGreaterThanOrEqual(2)
  })
})
