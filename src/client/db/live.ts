import { liveQuery } from 'dexie'
import { onScopeDispose, shallowRef, watch, type ShallowRef, type WatchSource } from 'vue'

/**
 * A ref that follows a Dexie query: re-runs when the tables it read change (in this tab or
 * another) and when `deps` change. Unsubscribes with the owning store or component.
 */
export function useLiveQuery<T>(query: () => Promise<T> | T, initial: T, deps: WatchSource[] = []): ShallowRef<T> {
  const result = shallowRef<T>(initial)
  let sub: { unsubscribe(): void } | null = null
  const start = () => {
    sub?.unsubscribe()
    sub = liveQuery(query).subscribe({
      next: (v) => (result.value = v),
      error: (err: unknown) => console.error('live query failed', err),
    })
  }
  if (deps.length) watch(deps, start, { immediate: true })
  else start()
  onScopeDispose(() => sub?.unsubscribe())
  return result
}
