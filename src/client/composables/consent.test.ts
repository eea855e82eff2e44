import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AccountDb } from '../db/account-db.ts'
import { newId } from '../../core/ids.ts'
import { PRIVACY_NOTICE_VERSION } from '../../core/domain/privacy-notice.ts'
import { DEFAULT_RETENTION } from '../../core/domain/retention.ts'
import type { PrivacyState } from '../../core/contracts/privacy.ts'
import type { PrivacyApi } from '../api/privacy-endpoints.ts'
import { consentGiven, decideConsent, flushConsents, localConsents } from './consent.ts'

let db: AccountDb
beforeEach(() => {
  db = new AccountDb(`consent-${newId()}`)
})
afterEach(() => db.delete())

/** A server holding each person's latest decision per kind (what consent_events answers). */
function fakeServer() {
  const server = {
    online: true,
    sent: [] as { kind: string; granted: boolean }[],
    consents: { location: null, 'dues-base': null } as PrivacyState['consents'],
  }
  const state = (): PrivacyState => ({
    currentVersion: PRIVACY_NOTICE_VERSION,
    acceptedVersion: PRIVACY_NOTICE_VERSION,
    acceptedAt: '2026-11-01T00:00:00.000Z',
    consents: { ...server.consents },
    retention: DEFAULT_RETENTION,
  })
  const reach = () => (server.online ? Promise.resolve() : Promise.reject(new Error('offline')))
  const api: PrivacyApi = {
    privacyState: () => reach().then(state),
    acceptPrivacy: () => reach().then(state),
    setConsent: (c) =>
      reach().then(() => {
        server.sent.push(c)
        server.consents[c.kind] = { granted: c.granted, at: new Date(Date.now() + 1000).toISOString() }
        return state()
      }),
  }
  return { server, api }
}

describe('separate consents on the phone', () => {
  it('a decision made offline counts at once and is sent, once, when the server can be reached', async () => {
    const { server, api } = fakeServer()
    server.online = false
    await decideConsent(db, 'location', true, api)
    expect(await consentGiven(db, 'location')).toBe(true)
    expect((await localConsents(db)).location?.sent).toBe(false)
    server.online = true
    await flushConsents(db, api)
    await flushConsents(db, api)
    expect(server.sent).toEqual([{ kind: 'location', granted: true }])
    expect((await localConsents(db)).location).toMatchObject({ granted: true, sent: true })
  })

  it('a withdrawal made on another phone later is taken; an unsent decision of this phone is not overwritten', async () => {
    const { server, api } = fakeServer()
    await decideConsent(db, 'dues-base', true, api)
    server.consents['dues-base'] = { granted: false, at: new Date(Date.now() + 60_000).toISOString() }
    await flushConsents(db, api)
    expect(await consentGiven(db, 'dues-base')).toBe(false)
    server.online = false
    await decideConsent(db, 'location', false, api)
    server.consents.location = { granted: true, at: new Date(Date.now() + 60_000).toISOString() }
    server.online = true
    // This phone's newer, unsent choice is sent first, and so is what the server holds next.
    await flushConsents(db, api)
    expect(server.sent.at(-1)).toEqual({ kind: 'location', granted: false })
    expect(await consentGiven(db, 'location')).toBe(false)
  })
})
