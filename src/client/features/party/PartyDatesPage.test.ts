// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))

const { default: PartyDatesPage } = await import('./PartyDatesPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

describe('入党、转正日期 opened directly by link', () => {
  it('保存 goes to 我的, not back out of the app', async () => {
    h = signedInHarness({ role: 'member' })
    await h.db.users.put({
      id: h.user.id,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '张三',
      role: 'member',
      removed: false,
      joinedPartyOn: null,
      fullMemberOn: null,
    })
    page = await mountPage(h, PartyDatesPage, '/me/party')
    await page.find('input[name="joinedPartyOn"]').setValue('2010-07-01')
    await page.find('form').trigger('submit')
    await vi.waitFor(() => expect(h.router.currentRoute.value.fullPath).toBe('/me'), { timeout: 5000 })
    expect((await h.db.users.get(h.user.id))?.joinedPartyOn).toBe('2010-07-01')
  })
})
