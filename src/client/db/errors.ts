/** A write that the browser refused to store (disk full, private mode limits...). */
export class StorageFullError extends Error {
  constructor() {
    super('手机存储空间不足，本条内容未能保存。请清理空间后重试。')
  }
}

export function isQuotaError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const inner = (err as Error & { inner?: unknown }).inner
  return err.name === 'QuotaExceededError' || (inner instanceof Error && inner.name === 'QuotaExceededError')
}

/**
 * Input the app refuses before anything is written (a field missing or out of range, a rule of
 * the domain): the one validation error of the client. Its message is for the person, as is.
 */
export class ValidationError extends Error {
  override name = 'ValidationError'
}
