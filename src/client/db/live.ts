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
        // The value first: whoever derives from it (useLiveRead) counts its own read before this one is counted answered.
        result.value = v
        settle()
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

/**
 * A live value read from many rows, whose rows are not followed one by one: `follow` runs as the
 * live query (cheap reads whose ranges cover every change that matters, e.g. one row of the
 * table, which follows the whole table), and `read` runs outside it after each change `follow`
 * sees (and when `deps` change), paused during a hold like any live query. Dexie remembers every
 * primary key a live query reads through an index, to know which writes concern it, for as long
 * as the query is followed: a month of 100,000 study records read by a live query would keep
 * 100,000 keys (about 14 MB) for as long as the home screen shows the month.
 */
export function useLiveRead<T>(
  follow: () => Promise<unknown> | unknown,
  read: () => Promise<T> | T,
  initial: T,
  deps: WatchSource[] = [],
): ShallowRef<T> {
  const result = shallowRef<T>(initial)
  let latest = 0
  /** A new token each time `follow` ran again (the same one while paused). */
  const changed = useLiveQuery<symbol | null>(
    async () => {
      await follow()
      return Symbol('changed')
    },
    null,
    deps,
  )
  // Synchronous: the read starts in Dexie's global context (outside the live query, so its rows are
  // not remembered), and is counted as asked before the token is counted answered.
  watch(
    changed,
    (token) => {
      if (token === null) return
      const mine = ++latest
      asked()
      let reading: Promise<T>
      try {
        reading = Promise.resolve(read())
      } catch (err) {
        reading = Promise.reject(err)
      }
      void reading
        .then(
          (v) => {
            if (mine === latest) result.value = v
          },
          (err: unknown) => console.error('live read failed', err),
        )
        .finally(answered)
    },
    { flush: 'sync' },
  )
  onScopeDispose(() => {
    latest++
  })
  return result
}
