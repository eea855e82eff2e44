// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { ReviewCycle } from '../../../core/schemas/review.ts'
import type { UserProfile } from '../../../core/schemas/entities.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const tally = vi.fn()
const turnout = vi.fn()
vi.mock('./review-api.ts', () => ({
  reviewApi: { tally: (id: string) => tally(id), turnout: (id: string) => turnout(id) },
}))
vi.mock('./confirm.ts', () => ({ confirmStep: () => Promise.resolve(true) }))
const { default: ReviewManagePage } = await import('./ReviewManagePage.vue')

let h: PageHarness
let page: VueWrapper | null = null
const people: string[] = [newId(), newId(), newId()]
const names = ['张三', '李四', '王五']
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

async function setup(role: 'secretary' | 'member', committee = false): Promise<void> {
  h = signedInHarness({ role, id: people[0] })
  const row = (id: string, i: number): UserProfile => ({
    id,
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    name: names[i] ?? '',
    role: i === 0 ? role : 'member',
    removed: false,
    joinedPartyOn: null,
    fullMemberOn: null,
    committee: i === 0 ? committee : false,
  })
  await h.db.users.bulkPut(people.map(row))
}
const cycleOf = (patch: Partial<ReviewCycle>): ReviewCycle => {
  const now = new Date().toISOString()
  return {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId ?? '',
    year: 2026,
    opensOn: '2026-11-01',
    lifeMeetingOn: null,
    assessmentOn: null,
    prompt: '',
    meetingId: newId(),
    ballot: 'none',
    subjectIds: [],
    closedAt: null,
    createdAt: now,
    updatedAt: now,
    ...patch,
  }
}
beforeEach(() => {
  tally.mockReset()
  turnout.mockReset()
  turnout.mockResolvedValue({ ballot: 'none', voterIds: [], presentIds: [], paperBallots: 0 })
})

describe('年度组织生活会和民主评议 (the committee)', () => {
  it('a member who is not on the committee is turned away', async () => {
    await setup('member')
    page = await mountPage(h, ReviewManagePage, '/review/manage')
    expect(page.find('[data-testid="manage-refused"]').exists()).toBe(true)
  })

  it('the secretary opens the year on the phone, offline', async () => {
    await setup('secretary')
    page = await mountPage(h, ReviewManagePage, '/review/manage')
    await page.find('[data-testid="cycle-prompt"]').setValue('围绕学习贯彻情况征求意见')
    await page.find('[data-testid="cycle-form"]').trigger('submit')
    await settle()
    const [cycle] = await h.db.review_cycles.toArray()
    expect(cycle).toMatchObject({ branchId: h.user.branchId, ballot: 'none', prompt: '围绕学习贯彻情况征求意见' })
    expect((await h.db.outbox.toArray())[0]).toMatchObject({ table: 'review_cycles', fields: { ballot: 'none' } })
  })

  it('warns when 优秀 exceeds one third of those assessed, and saves the grade anyway', async () => {
    await setup('member', true)
    const c = cycleOf({ ballot: 'closed', subjectIds: [...people].sort() })
    await h.db.review_cycles.put(c)
    tally.mockResolvedValue({ phoneBallots: 3, paperBallots: 0, subjects: [] })
    page = await mountPage(h, ReviewManagePage, '/review/manage')
    // A 支部委员 grades; the cycle itself is the secretary's.
    expect(page.find('[data-testid="cycle-form"]').exists()).toBe(false)
    const selects = page.findAll('[data-testid="grade-select"]')
    expect(selects).toHaveLength(3)
    await selects[0]?.setValue('excellent')
    await settle()
    expect(page.find('[data-testid="excellent-warning"]').exists()).toBe(false)
    await selects[1]?.setValue('excellent')
    await settle()
    expect(page.find('[data-testid="excellent-warning"]').text()).toContain('3 人中最多 1 人')
    await page.findAll('[data-testid="grade-save"]')[1]?.trigger('click')
    await settle()
    expect(await h.db.review_grades.count()).toBe(1)
  })

  it('shows turnout (who, never what) and, once closed, the tally with the notice that it informs and never decides', async () => {
    await setup('secretary')
    const c = cycleOf({ ballot: 'closed', subjectIds: [...people].sort() })
    await h.db.review_cycles.put(c)
    turnout.mockResolvedValue({ ballot: 'closed', voterIds: [people[0], people[1]], presentIds: [...people], paperBallots: 2 })
    tally.mockResolvedValue({
      phoneBallots: 2,
      paperBallots: 2,
      subjects: people.map((memberId) => ({ memberId, counts: { excellent: 1, qualified: 3, basic: 0, unqualified: 0 } })),
    })
    page = await mountPage(h, ReviewManagePage, '/review/manage')
    expect(page.find('[data-testid="turnout"]').text()).toContain('已投票 2 人 / 到会签到 3 人')
    expect(page.find('[data-testid="tally-notice"]').text()).toContain('不得以网络投票结果作为民主评议党员的评定依据')
    expect(page.find('[data-testid="tally"]').text()).toContain('张三')
    expect(page.text()).toContain('纸质选票 2 张')
  })

  it('asks for no tally while the ballot is open', async () => {
    await setup('secretary')
    await h.db.review_cycles.put(cycleOf({ ballot: 'open', subjectIds: [...people].sort() }))
    page = await mountPage(h, ReviewManagePage, '/review/manage')
    expect(tally).not.toHaveBeenCalled()
    expect(page.find('[data-testid="tally"]').exists()).toBe(false)
  })
})
