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
    id: newId(), orgId: h.user.orgId, branchId: h.user.branchId, type: 'branch_committee', topic, startsAt: new Date(Date.now() + inMinutes * 60_000).toISOString(), durationMinutes: 90, place: '',
    organiserId: newId(), speaker: '', expectedIds: [h.user.id], agenda: '', minutes: '', talkWithId: null, photoIds: [], createdAt: now, signKey: null, updatedAt: now, deleted: false,
  }
}

describe('首页 下一次会议', () => {
  it('moves on from a meeting the member has signed in to', async () => {
    h = signedInHarness({ role: 'member' })
    const now = meeting('正在开的支部委员会', -10)
    await h.db.meetings.bulkPut([now, meeting('下周的主题党日', 7 * 24 * 60)])
    await h.db.attendance.put({ id: attendanceId(now.id, h.user.id), orgId: h.user.orgId, branchId: h.user.branchId, meetingId: now.id, memberId: h.user.id, status: 'present', method: 'scan', signedAt: new Date().toISOString(), leaveReason: '', leaveState: null, markedBy: null, note: '', updatedAt: new Date().toISOString() })
    page = await mountPage(h, HomeMeetingsCard, '/')
    expect(page.find('[data-testid="next-meeting"]').text()).toContain('下周的主题党日')
    expect(page.text()).not.toContain('正在开的支部委员会')
  })
})
