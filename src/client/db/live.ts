import { liveQuery } from 'dexie'
import { onScopeDispose, shallowRef, watch, type ShallowRef, type WatchSource } from 'vue'
import { answered, asked } from './live-answered.ts'

/** Restart functions of the live queries that paused during a hold. */
const paused = new Set<() => void>()
let holds = 0

/**
 * Pause live queries while many pages are written one after another (a first pull of a large
 * branch): Dexie would otherwise read each query again after every page, and a query over a
 * month that a pull fills page by page would read the whole month each time (quadratic time and
 * memory). While held, a live query that is told of a change stops following (its last value
 * stays on screen) instead of reading again; when the last hold is released, each paused query
 * reads once and follows changes again. Returns the release (calling it twice is harmless).
 */
export function holdLiveQueries(): () => void {
  holds++
  let released = false
  return () => {
    if (released) return
    released = true
    if (--holds > 0) return
    const restart = [...paused]
    paused.clear()
    for (const r of restart) r()
  }
}

/**
 * A ref that follows a Dexie query: re-runs when the tables it read change (in this tab or
 * another) and when `deps` change. Unsubscribes with the owning store or component.
 */
export function useLiveQuery<T>(query: () => Promise<T> | T, initial: T, deps: WatchSource[] = []): ShallowRef<T> {
  const result = shallowRef<T>(initial)
  let sub: { unsubscribe(): void } | null = null
  /** Counts this query's current subscription as answered (once). */
  let settle = () => {}
  const stop = () => {
    sub?.unsubscribe()
    sub = null
    settle()
  }
  const start = () => {
    stop()
    paused.delete(start)
    let delivered = false
    asked()
    settle = () => {
      if (delivered) return
      delivered = true
      answered()
    }
    // Dexie's liveQuery runs the query when subscribed and again after each change it read; a
    // re-run during a hold pauses instead (see holdLiveQueries).
    const own = liveQuery(() => {
      if (holds > 0 && delivered) {
        paused.add(start)
        queueMicrotask(() => {
          own.unsubscribe()
          if (sub === own) sub = null
        })
        return result.value
      }
      return query()
    }).subscribe({
      next: (v) => {
        settle()
        result.value = v
      },
      error: (err: unknown) => {
        settle()
        console.error('live query failed', err)
      },
    })
    sub = own
  }
  if (deps.length) watch(deps, start, { immediate: true })
  else start()
  onScopeDispose(() => {
    stop()
    paused.delete(start)
  })
  return result
}
