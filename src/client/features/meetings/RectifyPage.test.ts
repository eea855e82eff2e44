// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { UserProfile } from '../../../core/schemas/entities.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const { default: RectifyPage } = await import('./RectifyPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})
const person = (id: string, name: string, role: UserProfile['role'] = 'member'): UserProfile => ({
  id,
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  name,
  role,
  removed: false,
  joinedPartyOn: null,
  fullMemberOn: null,
})
const until = async (check: () => boolean) => {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
}

describe('整改清单', () => {
  it('the secretary lists an item offline; it is queued for sync and shown with its owner and time limit', async () => {
    h = signedInHarness({ role: 'secretary' })
    const owner = newId()
    await h.db.users.bulkPut([person(h.user.id, '王书记', 'secretary'), person(owner, '张三')])
    page = await mountPage(h, RectifyPage, '/meetings/rectify')
    await until(() => page!.findAll('[data-testid="rectify-owner"] option').length === 3)
    await page.get('textarea').setValue('理论学习不够系统')
    await page.get('[data-testid="rectify-owner"]').setValue(owner)
    await page.get('input[type="date"]').setValue('2026-12-31')
    await page.get('form').trigger('submit')
    await until(() => page!.findAll('[data-testid="rectify-item"]').length === 1)
    expect(page.get('[data-testid="rectify-item"]').text()).toContain('责任人 张三 · 时限 2026年12月31日')
    // Online, the item is simply added; the 联网后 note is for an offline phone only.
    expect(page.get('[data-testid="rectify-saved"]').text()).toBe('已添加。')
    expect(page.get('[data-testid="rectify-summary"]').text()).toBe('共 1 项，已销号 0 项，未销号 1 项。')
    const queued = await h.db.outbox.toArray()
    expect(queued.map((m) => [m.table, m.fields?.text])).toEqual([['rectifications', '理论学习不够系统']])

    window.dispatchEvent(new Event('offline'))
    await page.get('textarea').setValue('组织生活不够规范')
    await page.get('form').trigger('submit')
    await until(() => page!.findAll('[data-testid="rectify-item"]').length === 2)
    expect(page.get('[data-testid="rectify-saved"]').text()).toBe('已添加，联网后同步到全支部。')
    window.dispatchEvent(new Event('online'))
  })

  it('the owner closes their item with what was done; another member reads it but cannot close it or add one', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    const other = newId()
    await h.db.users.bulkPut([person(h.user.id, '张三'), person(other, '李四')])
    const item = (ownerId: string, text: string) => ({
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId ?? '',
      year: new Date(Date.now() + 8 * 3600_000).getUTCFullYear(),
      text,
      ownerId,
      dueOn: '2000-01-01',
      createdAt: new Date().toISOString(),
      closedAt: null,
      closedBy: null,
      closeNote: '',
      updatedAt: new Date().toISOString(),
      deleted: false,
    })
    const mine = item(h.user.id, '我的事项')
    await h.db.rectifications.bulkPut([mine, item(other, '李四的事项')])
    page = await mountPage(h, RectifyPage, '/meetings/rectify')
    await until(() => page!.findAll('[data-testid="rectify-item"]').length === 2)
    expect(page.find('[data-testid="rectify-save"]').exists()).toBe(false)
    const rows = page.findAll('[data-testid="rectify-item"]')
    expect(rows.map((r) => r.text().includes('已逾期'))).toEqual([true, true])
    const close = rows.map((r) => r.find('[data-testid="rectify-close"]').exists())
    expect(close).toEqual(rows.map((r) => r.text().includes('我的事项')))
    await rows
      .find((r) => r.text().includes('我的事项'))!
      .get('[data-testid="rectify-close"]')
      .trigger('click')
    await page.get('[data-testid="rectify-item"] textarea').setValue('已整改到位')
    await page.get('[data-testid="rectify-item"] form').trigger('submit')
    await flushPromises()
    await until(() => page!.text().includes('已整改到位') && page!.find('[data-testid="rectify-closed"]').exists())
    expect((await h.db.rectifications.get(mine.id))?.closeNote).toBe('已整改到位')
    // Who closed it and when, beside what was done.
    expect(page.get('[data-testid="rectify-closed"]').text()).toMatch(/^已销号（张三 · \d{4}年\d{1,2}月\d{1,2}日）：已整改到位$/)
    expect((await h.db.outbox.toArray()).map((m) => m.fields)).toEqual([{ closeNote: '已整改到位' }])
  })
})
