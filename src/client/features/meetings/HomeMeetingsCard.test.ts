// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import type { Meeting } from '../../../core/schemas/entities.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))

const { default: HomeMeetingsCard } = await import('./HomeMeetingsCard.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  await h.db.delete()
})

function meeting(topic: string, inMinutes: number): Meeting {
  const now = new Date().toISOString()
  return {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    type: 'branch_committee',
    topic,
    startsAt: new Date(Date.now() + inMinutes * 60_000).toISOString(),
    durationMinutes: 90,
    place: '',
    organiserId: newId(),
    speaker: '',
    expectedIds: [h.user.id],
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
}

describe('首页 下一次会议', () => {
  it('moves on from a meeting the member has signed in to', async () => {
    h = signedInHarness({ role: 'member' })
    const now = meeting('正在开的支部委员会', -10)
    await h.db.meetings.bulkPut([now, meeting('下周的主题党日', 7 * 24 * 60)])
    await h.db.attendance.put({
      id: attendanceId(now.id, h.user.id),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      meetingId: now.id,
      memberId: h.user.id,
      status: 'present',
      method: 'scan',
      signedAt: new Date().toISOString(),
      leaveReason: '',
      leaveState: null,
      markedBy: null,
      note: '',
      updatedAt: new Date().toISOString(),
    })
    page = await mountPage(h, HomeMeetingsCard, '/')
    expect(page.find('[data-testid="next-meeting"]').text()).toContain('下周的主题党日')
    expect(page.text()).not.toContain('正在开的支部委员会')
  })

  it('for the secretary who organises the next meeting: 显示签到码 and the live 已签到 x / 应到 y, not 未签到 and 扫码签到', async () => {
    h = signedInHarness({ role: 'secretary' })
    const member = newId()
    const m = { ...meeting('本周支部委员会', 24 * 60), organiserId: h.user.id, expectedIds: [h.user.id, member] }
    await h.db.meetings.put(m)
    await h.db.attendance.put({
      id: attendanceId(m.id, member),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      meetingId: m.id,
      memberId: member,
      status: 'present',
      method: 'scan',
      signedAt: new Date().toISOString(),
      leaveReason: '',
      leaveState: null,
      markedBy: null,
      note: '',
      updatedAt: new Date().toISOString(),
    })
    page = await mountPage(h, HomeMeetingsCard, '/')
    const card = page.find('[data-testid="next-meeting"]')
    expect(card.text()).toContain('本周支部委员会')
    expect(card.text()).not.toContain('未签到')
    expect(card.text()).not.toContain('扫码签到')
    expect(page.find('[data-testid="next-meeting-count"]').text()).toBe('已签到 1 / 应到 2')
    expect(page.find('[data-testid="next-meeting-code"]').attributes('href')).toBe(`/meetings/${m.id}/code`)
  })

  it('stays on the meeting he organises after he is recorded present (he still shows the code)', async () => {
    h = signedInHarness({ role: 'secretary' })
    const m = { ...meeting('正在开的支部委员会', -10), organiserId: h.user.id }
    await h.db.meetings.put(m)
    await h.db.attendance.put({
      id: attendanceId(m.id, h.user.id),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      meetingId: m.id,
      memberId: h.user.id,
      status: 'present',
      method: 'manual',
      signedAt: new Date().toISOString(),
      leaveReason: '',
      leaveState: null,
      markedBy: h.user.id,
      note: '',
      updatedAt: new Date().toISOString(),
    })
    page = await mountPage(h, HomeMeetingsCard, '/')
    expect(page.find('[data-testid="next-meeting"]').text()).toContain('正在开的支部委员会')
    expect(page.find('[data-testid="next-meeting-code"]').exists()).toBe(true)
  })
})
