// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'
import { newId } from '../../../core/ids.ts'
import type { Feedback } from '../../../core/schemas/entities.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))
vi.mock('vant', async (original) => ({ ...(await original<typeof import('vant')>()), showConfirmDialog: () => Promise.resolve() }))

const { default: FeedbackPage } = await import('./FeedbackPage.vue')
const { default: AdminFeedbackPage } = await import('./AdminFeedbackPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

const item = (over: Partial<Feedback>): Feedback => ({
  id: newId(),
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  authorId: h.user.id,
  category: 'suggestion',
  text: '建议',
  anonymous: false,
  createdAt: '2026-11-20T02:00:00.000Z',
  answer: '',
  answeredBy: null,
  answeredAt: null,
  updatedAt: '2026-11-20T02:00:00.000Z',
  deleted: false,
  ...over,
})

describe('投诉建议 (member)', () => {
  it('a complaint written offline is saved on the phone and queued, anonymous if asked; listed as 待答复 and withdrawn', async () => {
    h = signedInHarness({ role: 'member' })
    page = await mountPage(h, FeedbackPage, '/me/feedback')
    await page.find('[data-testid="feedback-complaint"]').trigger('click')
    await page.find('[data-testid="feedback-text"]').setValue('会议通知太晚')
    await page.find('[data-testid="feedback-anonymous"]').setValue(true)
    await page.find('form').trigger('submit')
    await settle()
    const [row] = await h.db.feedback.toArray()
    expect(row).toMatchObject({ category: 'complaint', text: '会议通知太晚', anonymous: true, authorId: h.user.id, answeredAt: null })
    const [queued] = await h.db.outbox.toArray()
    expect(queued).toMatchObject({
      table: 'feedback',
      op: 'upsert',
      fields: { category: 'complaint', text: '会议通知太晚', anonymous: true },
    })
    expect(queued?.fields).not.toHaveProperty('authorId')
    expect(page.find('[data-testid="feedback-item"]').text()).toContain('待答复')
    await page.find(`[data-testid="feedback-withdraw-${row?.id ?? ''}"]`).trigger('click')
    await settle()
    expect((await h.db.feedback.get(row?.id ?? ''))?.deleted).toBe(true)
    expect(page.findAll('[data-testid="feedback-item"]')).toHaveLength(0)
  })

  it('an empty text is refused with a message and nothing is written', async () => {
    h = signedInHarness({ role: 'member' })
    page = await mountPage(h, FeedbackPage, '/me/feedback')
    await page.find('form').trigger('submit')
    await settle()
    expect(page.find('[data-testid="form-error"]').text()).toBe('请填写内容')
    expect(await h.db.outbox.count()).toBe(0)
  })

  it('shows the administrator’s answer under the item', async () => {
    h = signedInHarness({ role: 'member' })
    await h.db.feedback.put(item({ answer: '已安排', answeredBy: newId(), answeredAt: '2026-11-22T02:00:00.000Z' }))
    page = await mountPage(h, FeedbackPage, '/me/feedback')
    expect(page.find('[data-testid="feedback-answer"]').text()).toContain('已安排')
  })
})

describe('投诉建议答复 (administrator)', () => {
  it('lists unanswered first with the author (marked 匿名 when asked), and an answer is written offline', async () => {
    h = signedInHarness({ role: 'admin' })
    const author = newId()
    await h.db.users.put({
      id: author,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '刘芳',
      role: 'member',
      removed: false,
      joinedPartyOn: null,
      fullMemberOn: null,
    })
    const answered = item({
      authorId: author,
      text: '已答复的',
      answer: '好',
      answeredBy: h.user.id,
      answeredAt: '2026-11-25T00:00:00.000Z',
    })
    const waiting = item({ authorId: author, text: '等待答复的', anonymous: true, createdAt: '2026-11-26T00:00:00.000Z' })
    await h.db.feedback.bulkPut([answered, waiting])
    page = await mountPage(h, AdminFeedbackPage, '/admin/feedback')
    const items = page.findAll('[data-testid="admin-feedback-item"]')
    expect(items.map((i) => i.text().includes('等待答复的'))).toEqual([true, false])
    expect(items[0]?.text()).toContain('刘芳')
    expect(items[0]?.find('[data-testid="feedback-anonymous-tag"]').exists()).toBe(true)
    expect(page.find('[data-testid="feedback-waiting"]').text()).toContain('1')
    await items[0]?.find('[data-testid="feedback-answer-text"]').setValue('已要求支部改进')
    await items[0]?.find('form').trigger('submit')
    await settle()
    expect(await h.db.feedback.get(waiting.id)).toMatchObject({ answer: '已要求支部改进', answeredBy: h.user.id })
    expect((await h.db.outbox.toArray()).map((m) => m.fields)).toEqual([{ answer: '已要求支部改进' }])
  })
})
