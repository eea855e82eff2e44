// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { StudyRecord, UserProfile } from '../../../core/schemas/entities.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'
import { monthOf } from './study-summary.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const { default: BranchStudyPage } = await import('./BranchStudyPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
const month = monthOf(new Date())

beforeEach(async () => {
  h = signedInHarness({ role: 'secretary' })
  const person = (name: string, extra: Partial<UserProfile> = {}): UserProfile => ({
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    name,
    role: 'member',
    removed: false,
    joinedPartyOn: null,
    fullMemberOn: null,
    ...extra,
  })
  const zhang = person('张三')
  const he = person('何雪梅')
  await h.db.users.bulkPut([zhang, he, person('冯志远'), person('外支部', { branchId: newId() })])
  const rec = (ownerId: string, title: string, minutes: number, branchId = h.user.branchId): StudyRecord => ({
    id: newId(),
    ownerId,
    branchId,
    orgId: h.user.orgId,
    kind: 'self_study',
    title,
    date: `${month}-02`,
    minutes,
    notes: '',
    sourceUrl: '',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    deleted: false,
  })
  await h.db.study_records.bulkPut([rec(zhang.id, '自学党章', 45), rec(zhang.id, '学习强国答题', 20), rec(he.id, '警示教育片', 60)])
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('本支部学习情况', () => {
  it('shows who studied what this month by name, and who has recorded nothing; no ranking, no percentages', async () => {
    page = await mountPage(h, BranchStudyPage, '/study/branch')
    const cards = page.findAll('[data-testid="branch-study-member"]')
    expect(cards.map((c) => c.find('h2').text())).toEqual(['何雪梅1 次 · 1 小时', '张三2 次 · 1 小时 5 分钟'])
    expect(cards[1]?.text()).toContain('自学党章')
    expect(page.find('[data-testid="branch-study-nothing"]').text()).toContain('冯志远')
    expect(page.text()).not.toContain('外支部')
    expect(page.text()).not.toMatch(/%|排名|名次/)
    expect(page.find('[data-testid="study-ledger-download"]').attributes('href')).toBe(
      `/api/study-ledger/${h.user.branchId}/${month.slice(0, 4)}.xlsx`,
    )
  })
})
