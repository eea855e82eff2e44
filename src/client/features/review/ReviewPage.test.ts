// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import { reviewGradeId, reviewPaperId } from '../../../core/review-ids.ts'
import type { ReviewCycle } from '../../../core/schemas/review.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const myBallot = vi.fn(() => Promise.resolve({ voted: false, ballot: 'open' as const }))
vi.mock('./review-api.ts', () => ({
  reviewApi: { castBallot: vi.fn(() => Promise.reject(new TypeError('offline'))), myBallot: () => myBallot() },
}))
vi.mock('./confirm.ts', () => ({ confirmStep: () => Promise.resolve(true) }))
const { default: ReviewPage } = await import('./ReviewPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'member', name: '张三' })
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

function cycleOf(patch: Partial<ReviewCycle> = {}): ReviewCycle {
  const now = new Date().toISOString()
  return {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId ?? '',
    year: 2026,
    opensOn: '2026-11-01',
    lifeMeetingOn: '2026-12-20',
    assessmentOn: '2026-12-20',
    prompt: '请围绕学习贯彻情况征求意见',
    meetingId: newId(),
    ballot: 'none',
    subjectIds: [],
    closedAt: null,
    createdAt: now,
    updatedAt: now,
    ...patch,
  }
}

describe('年度组织生活会和民主评议 (member)', () => {
  it('says when the branch has not opened the year yet', async () => {
    page = await mountPage(h, ReviewPage, '/review')
    expect(page.find('[data-testid="review-none"]').exists()).toBe(true)
    expect(page.find('[data-testid="review-manage-link"]').exists()).toBe(false)
  })

  it('shows the 征求意见 prompt; the draft is saved on the phone as private, and handed in only when the member chooses', async () => {
    const c = cycleOf()
    await h.db.review_cycles.put(c)
    page = await mountPage(h, ReviewPage, '/review')
    expect(page.find('[data-testid="review-prompt"]').text()).toContain('请围绕学习贯彻情况征求意见')
    expect(page.text()).toContain('交给支部之前，其他任何人（包括书记和管理员）都看不到')
    await page.find('[data-testid="paper-text"]').setValue('对照检查：理论学习不够系统')
    await page.find('[data-testid="paper-save"]').trigger('click')
    await settle()
    const id = reviewPaperId(c.id, h.user.id)
    expect((await h.db.review_papers.get(id))?.handedInAt).toBeNull()
    expect((await h.db.outbox.toArray()).at(-1)?.fields).toMatchObject({ cycleId: c.id, handedIn: false })
    await page.find('[data-testid="paper-hand-in"]').trigger('click')
    await settle()
    expect((await h.db.review_papers.get(id))?.handedInAt).not.toBeNull()
    expect((await h.db.outbox.toArray()).at(-1)?.fields).toMatchObject({ handedIn: true })
    expect(page.find('[data-testid="paper-handed-in"]').exists()).toBe(true)
  })

  it('offers the ballot only to a member signed in to the 民主评议 meeting while it is open', async () => {
    const c = cycleOf({ ballot: 'open', subjectIds: [h.user.id] })
    await h.db.review_cycles.put(c)
    page = await mountPage(h, ReviewPage, '/review')
    expect(page.find('[data-testid="ballot-link"]').exists()).toBe(false)
    expect(page.find('[data-testid="review-ballot"]').text()).toContain('扫码签到')
    const now = new Date().toISOString()
    await h.db.attendance.put({
      id: attendanceId(c.meetingId ?? '', h.user.id),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      meetingId: c.meetingId ?? '',
      memberId: h.user.id,
      status: 'present',
      method: 'scan',
      signedAt: now,
      leaveReason: '',
      leaveState: null,
      markedBy: null,
      note: '',
      updatedAt: now,
    })
    await settle()
    expect(page.find('[data-testid="ballot-link"]').attributes('href')).toBe(`/review/${c.id}/ballot`)
  })

  it("shows the member's own grade and feedback, said to be theirs alone", async () => {
    const c = cycleOf({ ballot: 'closed' })
    await h.db.review_cycles.put(c)
    await h.db.review_grades.put({
      id: reviewGradeId(c.id, h.user.id),
      orgId: h.user.orgId,
      branchId: c.branchId,
      cycleId: c.id,
      memberId: h.user.id,
      grade: 'qualified',
      feedback: '继续加强理论学习',
      gradedBy: newId(),
      updatedAt: new Date().toISOString(),
    })
    page = await mountPage(h, ReviewPage, '/review')
    const card = page.find('[data-testid="review-my-grade"]')
    expect(card.text()).toContain('合格')
    expect(card.text()).toContain('继续加强理论学习')
    expect(card.text()).toContain('只有您本人和支部委员会可以看到')
  })

  it('a ballot waiting on the phone says so; one counted shows only 已投票', async () => {
    const c = cycleOf({ ballot: 'open', subjectIds: [h.user.id] })
    await h.db.review_cycles.put(c)
    await h.db.review_ballots.put({ cycleId: c.id, grades: { [h.user.id]: 'qualified' }, state: 'waiting', problem: null })
    page = await mountPage(h, ReviewPage, '/review')
    expect(page.find('[data-testid="ballot-waiting"]').exists()).toBe(true)
    await h.db.review_ballots.put({ cycleId: c.id, grades: null, state: 'sent', problem: null })
    await settle()
    expect(page.find('[data-testid="ballot-voted"]').text()).toBe('已投票')
  })
})
