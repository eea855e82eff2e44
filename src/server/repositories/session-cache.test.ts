import { describe, expect, it } from 'vitest'
import { SessionCache } from './session-cache.ts'
import type { SessionFound } from './sessions.ts'

const found = (id: string, role: 'member' | 'secretary' | 'admin' = 'member'): SessionFound => ({
  viewer: { id, orgId: 'o', branchId: 'b', role, scopeVersion: 0, sessionId: `s-${id}` },
  twoFactor: false,
  demo: false,
  elevatedAt: '2026-11-30T00:00:00.000Z',
})

describe('the session cache', () => {
  it('keeps a session for its time, then asks again', () => {
    let now = 1_000
    const cache = new SessionCache(30_000, 10, () => now)
    cache.keep('h1', found('u1'))
    expect(cache.get('h1')?.viewer.id).toBe('u1')
    now += 29_999
    expect(cache.get('h1')).toBeDefined()
    now += 2
    expect(cache.get('h1')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('never keeps an administrator; forgets on request; holds at most its bound, the oldest going first', () => {
    const cache = new SessionCache(30_000, 2)
    cache.keep('a', found('admin', 'admin'))
    expect(cache.get('a')).toBeUndefined()
    cache.keep('h1', found('u1'))
    cache.keep('h2', found('u2'))
    cache.keep('h3', found('u3'))
    expect(cache.get('h1')).toBeUndefined()
    expect(cache.get('h2')).toBeDefined()
    cache.forget('h2')
    expect(cache.get('h2')).toBeUndefined()
    expect(cache.get('h3')?.viewer.id).toBe('u3')
  })
})
