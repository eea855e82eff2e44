/**
 * A module imported on first use, then handed out without another `import()`: Chromium resolves
 * even an already evaluated module's `import()` in a later task, after the next frame, which puts
 * a frame or two between a tap on 保存 and the saved row on screen. A failed load is tried again
 * on the next call.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: T | undefined
  let loading: Promise<T> | undefined
  return () => {
    if (loaded !== undefined) return Promise.resolve(loaded)
    loading ??= load().then(
      (m) => (loaded = m),
      (err: unknown) => {
        loading = undefined
        throw err
      },
    )
    return loading
  }
}
