/**
 * A tiny event registry: a lower layer announces (a sync finished, someone signed out) and the
 * features that care subscribe, so the lower layer never imports them.
 */
export interface Hook<T> {
  /** Subscribe; returns the function that unsubscribes. */
  on(listener: (event: T) => void | Promise<void>): () => void
  /** Call every listener in turn; one that fails is logged and does not stop the others. */
  emit(event: T): Promise<void>
}

export function createHook<T>(name: string): Hook<T> {
  const listeners = new Set<(event: T) => void | Promise<void>>()
  return {
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async emit(event) {
      for (const l of [...listeners]) {
        try {
          await l(event)
        } catch (err) {
          console.warn(`${name}: a listener failed`, err)
        }
      }
    },
  }
}
