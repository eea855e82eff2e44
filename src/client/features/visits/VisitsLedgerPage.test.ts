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

const { default: VisitsLedgerPage } = await import('./VisitsLedgerPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

describe('走访台账 download', () => {
  it("the long label is padded clear of the button's round ends (its own class beside button-link)", async () => {
    h = signedInHarness({ role: 'secretary' })
    page = await mountPage(h, VisitsLedgerPage, '/visits/ledger')
    const link = page.find('[data-testid="visits-ledger-download"]')
    expect(link.attributes('href')).toMatch(new RegExp(`^/api/visits-ledger/${h.user.branchId}/\\d{4}\\.xlsx$`))
    expect(link.classes()).toEqual(expect.arrayContaining(['button-link', 'ledger-download']))
  })
})
