import { describe, expect, it } from 'vitest'
import { securityHeaders } from './security.ts'

describe('security headers, worked out once', () => {
  it('carry the strict CSP and the rest of helmet’s headers, and are the same object every time they are computed', () => {
    const h = securityHeaders()
    expect(h['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data: blob:;font-src 'self' data:;connect-src 'self';worker-src 'self';manifest-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    )
    expect(h['referrer-policy']).toBe('same-origin')
    expect(h['x-content-type-options']).toBe('nosniff')
    expect(h['strict-transport-security']).toMatch(/^max-age=\d+/)
    expect(h).not.toHaveProperty('cross-origin-embedder-policy')
    expect(securityHeaders()).toEqual(h)
  })
})
