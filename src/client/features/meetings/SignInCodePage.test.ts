// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import { newMeetingKey } from '../../../core/domain/sign-in-token.ts'
import type { Meeting } from '../../../core/schemas/entities.ts'
import { mountPage, settle, settleUntil, signedInHarness, type PageHarness } from '../../testing/page.ts'

/** What the pages ask of the scheduler: whether sign-ins are followed closely right now. */
const follow = vi.hoisted(() => ({ calls: [] as boolean[] }))
vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
// Offline as far as these pages can tell: no request leaves the process (the clock check, the rules).
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))
vi.mock('../../sync/scheduler.ts', () => ({
  startScheduler: () => ({ stop: () => undefined, closely: (on: boolean) => follow.calls.push(on) }),
}))

const { default: SignInCodePage } = await import('./SignInCodePage.vue')
const { default: MeetingPage } = await import('./MeetingPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
let meeting: Meeting

beforeEach(async () => {
  follow.calls = []
  h = signedInHarness({ role: 'secretary' })
  const now = new Date().toISOString()
  const member = newId()
  await h.db.users.bulkPut([
    {
      id: h.user.id,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '王书记',
      role: 'secretary',
      removed: false,
      joinedPartyOn: null,
      fullMemberOn: null,
    },
    {
      id: member,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '张三',
      role: 'member',
      removed: false,
      joinedPartyOn: null,
      fullMemberOn: null,
    },
  ])
  meeting = {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    type: 'branch_general',
    topic: '学习全会精神',
    startsAt: now,
    durationMinutes: 60,
    place: '',
    organiserId: h.user.id,
    speaker: '',
    expectedIds: [h.user.id, member],
    agenda: '',
    minutes: '',
    talkWithId: null,
    talkKind: null,
    photoIds: [],
    createdAt: now,
    signKey: newMeetingKey(),
    updatedAt: now,
    deleted: false,
  }
  await h.db.meetings.put(meeting)
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('the organiser sees scans within seconds', () => {
  it('the sign-in code page follows sign-ins closely while open and stops when it closes; the count follows the rows', async () => {
    page = await mountPage(h, SignInCodePage, `/meetings/${meeting.id}/code`)
    expect(follow.calls).toEqual([true])
    // The organiser showing the code counts himself (recorded on opening the page).
    await settleUntil(() => page?.find('[data-testid="code-count"]').text() === '已签到 1 / 应到 2')
    expect(page.find('[data-testid="code-count"]').text()).toBe('已签到 1 / 应到 2')
    // A member's scan arrives with the next (fast) pull.
    const memberId = meeting.expectedIds[1] ?? ''
    await h.db.attendance.put({
      id: attendanceId(meeting.id, memberId),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      meetingId: meeting.id,
      memberId,
      status: 'present',
      method: 'scan',
      signedAt: new Date().toISOString(),
      leaveReason: '',
      leaveState: null,
      markedBy: null,
      note: '',
      updatedAt: new Date().toISOString(),
    })
    await settleUntil(() => page?.find('[data-testid="code-count"]').text() === '已签到 2 / 应到 2')
    expect(page.find('[data-testid="code-count"]').text()).toBe('已签到 2 / 应到 2')
    page.unmount()
    page = null
    await settle(1)
    expect(follow.calls).toEqual([true, false])
  })

  it('the roll (meeting page) of a meeting the viewer manages is followed closely too', async () => {
    page = await mountPage(h, MeetingPage, `/meetings/${meeting.id}`)
    await settle()
    expect(follow.calls).toEqual([true])
    page.unmount()
    page = null
    await settle(1)
    expect(follow.calls).toEqual([true, false])
  })
})

describe('the organiser showing the code is present at his meeting', () => {
  it('opening 显示签到码 while the sign-in is open records him present by his own hand, shown on the code page and the roll', async () => {
    page = await mountPage(h, SignInCodePage, `/meetings/${meeting.id}/code`)
    await settle()
    const row = await h.db.attendance.get(attendanceId(meeting.id, h.user.id))
    expect(row).toMatchObject({ status: 'present', method: 'manual', markedBy: h.user.id })
    expect(await h.db.outbox.where('table').equals('attendance').count()).toBe(1)
    expect(page.find('[data-testid="code-self"]').text()).toContain('已出席')
    page.unmount()
    page = await mountPage(h, MeetingPage, `/meetings/${meeting.id}`)
    expect(page.find('[data-testid="roll-王书记"]').text()).toContain('出席')
    expect(page.find('[data-testid="roll-王书记"]').text()).not.toContain('待签到')
  })

  it('does not overwrite attendance he already has (a leave), and records nothing before the sign-in opens', async () => {
    await h.db.attendance.put({
      id: attendanceId(meeting.id, h.user.id),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      meetingId: meeting.id,
      memberId: h.user.id,
      status: 'leave',
      method: 'manual',
      signedAt: null,
      leaveReason: '出差',
      leaveState: 'approved',
      markedBy: h.user.id,
      note: '',
      updatedAt: new Date().toISOString(),
    })
    page = await mountPage(h, SignInCodePage, `/meetings/${meeting.id}/code`)
    await settle()
    expect((await h.db.attendance.get(attendanceId(meeting.id, h.user.id)))?.status).toBe('leave')
    page.unmount()
    page = null
    const later = { ...meeting, id: newId(), startsAt: new Date(Date.now() + 24 * 3600_000).toISOString() }
    await h.db.meetings.put(later)
    page = await mountPage(h, SignInCodePage, `/meetings/${later.id}/code`)
    await settle()
    expect(await h.db.attendance.get(attendanceId(later.id, h.user.id))).toBeUndefined()
    expect(await h.db.outbox.count()).toBe(0)
  })
})
