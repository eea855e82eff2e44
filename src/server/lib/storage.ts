/**
 * Running out of storage, said plainly. A write that fails for lack of space (SQLite's
 * SQLITE_FULL, PostgreSQL's disk_full 53100, a photo file's ENOSPC or EDQUOT) is answered
 * 507 `storage_full` and remembered here, so that `/api/health` reports the storage as full
 * until a write succeeds again.
 */

const FULL_CODES = new Set(['SQLITE_FULL', '53100', 'ENOSPC', 'EDQUOT'])

/** The error says the database or the disk has no room left. */
export function isStorageFull(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && FULL_CODES.has(err.code)
}

/**
 * PostgreSQL broke a deadlock by failing this transaction (40P01), or could not serialize it
 * (40001): nothing of it was stored, and trying again is safe. Answered 503 with Retry-After.
 */
export function isWriteConflict(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err.code === '40P01' || err.code === '40001')
}

/** The last write outcome: full since when, and why (for logs and the health answer). */
export class StorageState {
  private fullSince: string | null = null
  private cause = ''

  noteFull(err: unknown): void {
    this.fullSince ??= new Date().toISOString()
    this.cause = err instanceof Error ? `${'code' in err ? String(err.code) : ''} ${err.message}`.trim() : String(err)
  }

  noteWritten(): void {
    this.fullSince = null
    this.cause = ''
  }

  get full(): { since: string; cause: string } | null {
    return this.fullSince ? { since: this.fullSince, cause: this.cause } : null
  }
}
