/**
 * Live queries started and not yet answered (useLiveQuery counts here), and who waits for there
 * to be none. Kept apart from live.ts so the app shell can wait without loading Dexie.
 */
/** How long a screen waits for its live queries' first answers before it shows anyway. */
export const FIRST_ANSWERS_MAX_MS = 1500

let unanswered = 0
let waiting: (() => void)[] = []

/** A live query was started. */
export function asked(): void {
  unanswered++
}

/** A live query started earlier has its first answer (or was stopped before it had one). */
export function answered(): void {
  if (--unanswered > 0) return
  const done = waiting
  waiting = []
  for (const resolve of done) resolve()
}

/**
 * Resolves once every live query started so far has its first answer (or after `maxMs`): the
 * screen then shows data, not the initial empty values.
 */
export function liveQueriesAnswered(maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (unanswered <= 0) return resolve()
    waiting.push(resolve)
    setTimeout(resolve, maxMs)
  })
}
