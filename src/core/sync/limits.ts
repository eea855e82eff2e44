/** Sizes of the sync messages (docs/sync.md): mutations per push, changes per pulled page. */
export const MAX_PUSH_BATCH = 500
export const MAX_PULL_LIMIT = 2000
export const DEFAULT_PULL_LIMIT = 500
