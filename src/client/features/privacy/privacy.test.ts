// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'
import type { PrivacyState } from '../../../core/contracts/privacy.ts'
import { PRIVACY_NOTICE_VERSION } from '../../../core/domain/privacy-notice.ts'
import { DEFAULT_RETENTION } from '../../../core/domain/retention.ts'
import { useSessionStore } from '../../session/session.store.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))
const server = vi.hoisted(() => ({
  online: true,
  accepted: null as number | null,
  consents: [] as { kind: string; granted: boolean }[],
}))
const state = (): PrivacyState => ({
  currentVersion: PRIVACY_NOTICE_VERSION,
  acceptedVersion: server.accepted,
  acceptedAt: server.accepted ? '2026-11-30T01:00:00.000Z' : null,
  consents: { location: null, 'dues-base': null },
  retention: { ...DEFAULT_RETENTION, visitPhotoYears: 7 },
})
vi.mock('../../api/privacy-client.ts', () => {
  const reach = () => (server.online ? Promise.resolve() : Promise.reject(new Error('offline')))
  return {
    privacyApi: {
      privacyState: () => reach().then(state),
      acceptPrivacy: (version: number) =>
        reach().then(() => {
          server.accepted = version
          return state()
        }),
      setConsent: (c: { kind: string; granted: boolean }) =>
        reach().then(() => {
          server.consents.push(c)
          return state()
        }),
    },
  }
})
vi.mock('vant', async (original) => ({ ...(await original<typeof import('vant')>()), showConfirmDialog: () => Promise.resolve('confirm') }))

const gate = await import('./privacy-gate.ts')
const { default: PrivacyPage } = await import('./PrivacyPage.vue')
const { decideConsent } = await import('../../composables/consent.ts')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  server.online = true
  server.accepted = null
  server.consents = []
  gate.resetPrivacyGate()
  h = signedInHarness({ role: 'member' })
})
afterEach(async () => {
  page?.unmount()
  page = null
  document.body.innerHTML = ''
  await h.db.delete()
})

describe('个人信息保护说明 at first login', () => {
  it('offline: nothing is held up; once online the member is led to the notice, and every page leads there until accepted', async () => {
    await h.router.push('/study')
    server.online = false
    Object.defineProperty(navigator, 'onLine', { configurable: true, value: false })
    expect(await gate.checkPrivacy(h.router)).toBeNull()
    expect(h.router.currentRoute.value.path).toBe('/study')
    server.online = true
    Object.defineProperty(navigator, 'onLine', { configurable: true, value: true })
    window.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(h.router.currentRoute.value.fullPath).toBe('/me/privacy?next=/study'))
    await h.router.push('/meetings')
    expect(h.router.currentRoute.value.path).toBe('/me/privacy')
  })

  it('accepting records the version on the server and goes on to the page asked for; the notice says how long photos are kept', async () => {
    await h.router.push('/study')
    await gate.checkPrivacy(h.router)
    page = await mountPage(h, PrivacyPage, '/me/privacy?next=/study')
    expect(page.find('[data-testid="privacy-notice"]').text()).toContain('保存 7 年')
    await page.find('[data-testid="privacy-accept"]').trigger('click')
    await vi.waitFor(() => expect(h.router.currentRoute.value.path).toBe('/study'))
    expect(server.accepted).toBe(PRIVACY_NOTICE_VERSION)
    await h.router.push('/meetings')
    expect(h.router.currentRoute.value.path).toBe('/meetings')
  })

  it('declining explains it and signs out (the next sign-in asks again)', async () => {
    await gate.checkPrivacy(h.router)
    const logout = vi.spyOn(useSessionStore(), 'logout').mockResolvedValue()
    page = await mountPage(h, PrivacyPage, '/me/privacy')
    await page.find('[data-testid="privacy-decline"]').trigger('click')
    await vi.waitFor(() => expect(h.router.currentRoute.value.path).toBe('/login'))
    expect(logout).toHaveBeenCalledWith(false)
    expect(gate.mustAccept()).toBe(false)
  })

  it('an accepted notice leads nowhere; 我的 › 个人信息与授权 shows the consents, and a consent decided offline is sent at the next check', async () => {
    server.accepted = PRIVACY_NOTICE_VERSION
    server.online = false
    await decideConsent(h.db, 'location', true)
    expect(server.consents).toEqual([])
    server.online = true
    await h.router.push('/visits')
    await gate.checkPrivacy(h.router)
    expect(h.router.currentRoute.value.path).toBe('/visits')
    expect(server.consents).toEqual([{ kind: 'location', granted: true }])
    page = await mountPage(h, PrivacyPage, '/me/privacy')
    await settle()
    expect(page.find('[data-testid="privacy-accepted"]').text()).toContain(`第 ${PRIVACY_NOTICE_VERSION} 版`)
    expect(page.find('[data-testid="consent-location"]').attributes('aria-checked')).toBe('true')
    await page.find('[data-testid="consent-location"]').trigger('click')
    await vi.waitFor(() => expect(server.consents.at(-1)).toEqual({ kind: 'location', granted: false }))
  })
})
