// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import type { Attendance, Meeting } from '../../../core/schemas/entities.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))

const { default: HomeTodo } = await import('../home/HomeTodo.vue')
const { default: PendingPage } = await import('./PendingPage.vue')
const { default: MeetingsPage } = await import('./MeetingsPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
let meeting: Meeting
const member = newId()
const other = newId()

function row(memberId: string, extra: Partial<Attendance>): Attendance {
  return {
    id: attendanceId(meeting.id, memberId),
    orgId: h.user.orgId,
    branchId: meeting.branchId,
    meetingId: meeting.id,
    memberId,
    status: null,
    method: null,
    signedAt: null,
    leaveReason: '',
    leaveState: null,
    markedBy: null,
    note: '',
    updatedAt: new Date().toISOString(),
    ...extra,
  }
}

beforeEach(async () => {
  h = signedInHarness({ role: 'secretary' })
  const now = new Date().toISOString()
  await h.db.users.bulkPut([
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
    {
      id: other,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      name: '李四',
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
    type: 'theme_day',
    topic: '主题党日',
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    durationMinutes: 60,
    place: '',
    organiserId: h.user.id,
    speaker: '',
    expectedIds: [member, other, h.user.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
    talkKind: null,
    photoIds: [],
    createdAt: now,
    signKey: null,
    updatedAt: now,
    deleted: false,
  }
  await h.db.meetings.put(meeting)
  await h.db.attendance.bulkPut([
    row(member, { leaveReason: '出差', leaveState: 'requested' }),
    row(h.user.id, { leaveReason: '本人', leaveState: 'requested' }),
  ])
  await h.db.makeups.put({
    id: newId(),
    orgId: h.user.orgId,
    branchId: meeting.branchId,
    memberId: other,
    meetingId: meeting.id,
    content: '自学会议材料',
    date: '2026-11-20',
    notes: '',
    createdAt: now,
    confirmedBy: null,
    confirmedAt: null,
    updatedAt: now,
    deleted: false,
  })
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('what waits for the secretary is on 首页, one tap from done', () => {
  it('首页 says how many leave requests and 补学 wait, instead of 暂无待办, and links to them', async () => {
    page = await mountPage(h, HomeTodo)
    expect(page.find('[data-testid="todo-leave"]').text()).toContain('1 条请假待审批')
    expect(page.find('[data-testid="todo-makeups"]').text()).toContain('1 条补学待确认')
    expect(page.find('[data-testid="todo-leave"]').attributes('href')).toBe('/meetings/pending')
    expect(page.text()).not.toContain('暂无待办')
  })

  it('the 待审批 page approves a leave request and confirms 补学 with one tap each; 首页 is then clear', async () => {
    page = await mountPage(h, PendingPage, '/meetings/pending')
    expect(page.findAll('[data-testid="pending-leave"]')).toHaveLength(1) // not the secretary's own
    await page.find('[data-testid="pending-approve"]').trigger('click')
    await page.find('[data-testid="pending-confirm"]').trigger('click')
    await vi.waitFor(async () => expect(await h.db.outbox.count()).toBe(2), { timeout: 5000 })
    expect((await h.db.attendance.get(attendanceId(meeting.id, member)))?.leaveState).toBe('approved')
    expect((await h.db.makeups.toArray())[0]?.confirmedBy).toBe(h.user.id)
    page.unmount()
    page = await mountPage(h, HomeTodo)
    expect(page.find('[data-testid="todo-leave"]').exists()).toBe(false)
  })

  it('the meeting row carries a marker while something waits', async () => {
    page = await mountPage(h, MeetingsPage, '/meetings')
    expect(page.find('[data-testid="meeting-waiting"]').text()).toBe('2 项待审批')
  })
})
