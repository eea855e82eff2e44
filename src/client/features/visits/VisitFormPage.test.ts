// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))
// The privacy calls fail: the phone is offline in the village.
const offline = () => Promise.reject(new Error('offline'))
vi.mock('../../api/privacy-client.ts', () => ({ privacyApi: { privacyState: offline, setConsent: offline, acceptPrivacy: offline } }))
const dialog = vi.hoisted(() => ({ answer: 'cancel' as 'confirm' | 'cancel', asked: 0 }))
vi.mock('vant', async (original) => ({
  ...(await original<typeof import('vant')>()),
  showConfirmDialog: () => {
    dialog.asked++
    return dialog.answer === 'confirm' ? Promise.resolve('confirm') : Promise.reject(new Error('cancel'))
  },
}))

const { default: VisitFormPage } = await import('./VisitFormPage.vue')

let h: PageHarness
let page: VueWrapper
const getCurrentPosition = vi.fn((ok: (p: { coords: { latitude: number; longitude: number } }) => void) =>
  ok({ coords: { latitude: 36.061234, longitude: 103.834567 } }),
)
beforeEach(() => {
  dialog.asked = 0
  getCurrentPosition.mockClear()
  Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition } })
})
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

async function recordAt(place: string): Promise<void> {
  await page.find('input[placeholder="村、社区、企业等"]').setValue(place)
  await page.find('textarea').setValue('走访情况')
  await page.find('form').trigger('submit')
  await vi.waitFor(async () => expect(await h.db.visits.count()).toBeGreaterThan(0), { timeout: 5000 })
}

describe('location on a visit needs its own consent (个人信息保护法: 行踪)', () => {
  it('declined: no location is read, the visit still saves without one, and the decision is kept on the phone', async () => {
    h = signedInHarness({ role: 'member' })
    dialog.answer = 'cancel'
    page = await mountPage(h, VisitFormPage, '/visits/new')
    await page.find('[data-testid="visit-locate"]').trigger('click')
    await settle()
    expect(dialog.asked).toBe(1)
    expect(getCurrentPosition).not.toHaveBeenCalled()
    expect(page.find('[data-testid="visit-location"]').text()).toContain('未同意记录位置')
    await recordAt('东村村委会')
    const [visit] = await h.db.visits.toArray()
    expect(visit).toMatchObject({ place: '东村村委会', location: null })
    expect((await h.db.meta.get('consents'))?.value).toMatchObject({ location: { granted: false, sent: false } })
  })

  it('given once (offline): the location is read and saved, and later visits do not ask again', async () => {
    h = signedInHarness({ role: 'member' })
    dialog.answer = 'confirm'
    page = await mountPage(h, VisitFormPage, '/visits/new')
    await page.find('[data-testid="visit-locate"]').trigger('click')
    await settle()
    expect(getCurrentPosition).toHaveBeenCalledTimes(1)
    await recordAt('西村')
    expect((await h.db.visits.toArray())[0]?.location).toBe('36.061234,103.834567')
    page.unmount()
    page = await mountPage(h, VisitFormPage, '/visits/new')
    await page.find('[data-testid="visit-locate"]').trigger('click')
    await settle()
    expect(dialog.asked).toBe(1)
    expect(getCurrentPosition).toHaveBeenCalledTimes(2)
  })
})
