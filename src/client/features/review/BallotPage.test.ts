// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import type { ReviewCycle } from '../../../core/schemas/review.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const castBallot = vi.fn((_cycleId: string, _body: unknown): Promise<{ counted: true }> => Promise.reject(new TypeError('offline')))
vi.mock('./review-api.ts', () => ({
  reviewApi: {
    castBallot: (cycleId: string, body: unknown) => castBallot(cycleId, body),
    myBallot: () => Promise.resolve({ voted: false, ballot: 'open' }),
  },
}))
vi.mock('./confirm.ts', () => ({ confirmStep: () => Promise.resolve(true) }))
const { default: BallotPage } = await import('./BallotPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
let cycle: ReviewCycle
const peer = newId()
beforeEach(async () => {
  h = signedInHarness({ role: 'member', name: '张三' })
  const now = new Date().toISOString()
  cycle = {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId ?? '',
    year: 2026,
    opensOn: '2026-11-01',
    lifeMeetingOn: null,
    assessmentOn: null,
    prompt: '',
    meetingId: newId(),
    ballot: 'open',
    subjectIds: [h.user.id, peer].sort(),
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  }
  await h.db.review_cycles.put(cycle)
  await h.db.users.bulkPut([
    {
      id: h.user.id,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '张三',
      role: 'member',
      removed: false,
      joinedPartyOn: null,
      fullMemberOn: null,
    },
    {
      id: peer,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '李四',
      role: 'member',
      removed: false,
      joinedPartyOn: null,
      fullMemberOn: null,
    },
  ])
  castBallot.mockClear()
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

async function signIn(): Promise<void> {
  const now = new Date().toISOString()
  await h.db.attendance.put({
    id: attendanceId(cycle.meetingId ?? '', h.user.id),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    meetingId: cycle.meetingId ?? '',
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
}

describe('民主测评 (the sealed ballot)', () => {
  it('asks a member who has not signed in to the meeting to sign in first', async () => {
    page = await mountPage(h, BallotPage, `/review/${cycle.id}/ballot`)
    expect(page.find('[data-testid="ballot-not-signed-in"]').exists()).toBe(true)
  })

  it('grades every member, says a 网络投票 is not the basis of assessment, and keeps the ballot on the phone (never in the sync outbox) while offline', async () => {
    await signIn()
    page = await mountPage(h, BallotPage, `/review/${cycle.id}/ballot`)
    expect(page.text()).toContain('不得以网络投票结果作为民主评议党员的评定依据')
    const subjects = page.findAll('[data-testid="ballot-subject"]')
    expect(subjects.map((s) => s.find('legend').text())).toEqual(expect.arrayContaining(['张三', '李四']))
    const submit = page.find('[data-testid="ballot-submit"]')
    expect(submit.text()).toContain('还有 2 人未评价')
    for (const s of subjects) await s.find('[data-testid="grade-qualified"]').setValue(true)
    await settle()
    expect(submit.text()).toBe('提交选票')
    await page.find('form').trigger('submit')
    await settle()
    expect(castBallot).toHaveBeenCalledTimes(1)
    const kept = await h.db.review_ballots.get(cycle.id)
    expect(kept).toMatchObject({ state: 'waiting', grades: { [h.user.id]: 'qualified', [peer]: 'qualified' } })
    expect(await h.db.outbox.count()).toBe(0)
  })

  it('once the server counted it, the phone keeps only 已投票', async () => {
    await signIn()
    castBallot.mockImplementationOnce(() => Promise.resolve({ counted: true as const }))
    page = await mountPage(h, BallotPage, `/review/${cycle.id}/ballot`)
    for (const s of page.findAll('[data-testid="ballot-subject"]')) await s.find('[data-testid="grade-excellent"]').setValue(true)
    await page.find('form').trigger('submit')
    await settle()
    expect(await h.db.review_ballots.get(cycle.id)).toEqual({ cycleId: cycle.id, grades: null, state: 'sent', problem: null })
  })
})
