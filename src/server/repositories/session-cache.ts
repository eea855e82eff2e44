import type { SessionFound } from './sessions.ts'

/**
 * Sessions a push may go on with before the database is asked again (PostgreSQL only). Never an
 * authorisation by itself: a push whose session came from here is written only if the same
 * statement that writes it finds the session still open and the person's role, branch,
 * organisation and scope unchanged (sync/push.ts, commitInOneStatement); otherwise the session is
 * looked up again before anything is written, exactly as without the cache. It saves the lookup's
 * round trip on the request path of the most frequent request there is.
 * Administrators are never kept (two-factor login and the idle timeout are checked per request).
 */
export class SessionCache {
  private readonly entries = new Map<string, { found: SessionFound; until: number }>()

  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get(hash: string): SessionFound | undefined {
    const e = this.entries.get(hash)
    if (!e) return undefined
    if (e.until > this.clock()) return e.found
    this.entries.delete(hash)
    return undefined
  }

  keep(hash: string, found: SessionFound): void {
    if (found.viewer.role === 'admin') return
    this.entries.delete(hash)
    // The oldest entry goes first (a Map keeps insertion order).
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(hash, { found, until: this.clock() + this.ttlMs })
  }

  forget(hash: string): void {
    this.entries.delete(hash)
  }

  get size(): number {
    return this.entries.size
  }
}
