// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const { default: MyOrgLifePage } = await import('./MyOrgLifePage.vue')

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

describe('组织生活记录', () => {
  it('shows that 补学 made up for a missed meeting, and whether the secretary confirmed it', async () => {
    const now = Date.now()
    const meeting = (topic: string, tensOfMinutesAgo: number) => ({
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      type: 'theme_day' as const,
      topic,
      startsAt: new Date(now - tensOfMinutesAgo * 10 * 60_000).toISOString(),
      durationMinutes: 60,
      place: '',
      organiserId: newId(),
      speaker: '',
      expectedIds: [h.user.id],
      agenda: '',
      minutes: '',
      talkWithId: null,
      talkKind: null,
      photoIds: [],
      createdAt: new Date(now).toISOString(),
      signKey: null,
      updatedAt: new Date(now).toISOString(),
      deleted: false,
    })
    const confirmed = meeting('已确认补学的会议', 16)
    const waiting = meeting('补学待确认的会议', 15)
    await h.db.meetings.bulkPut([confirmed, waiting])
    const makeup = (meetingId: string, confirmedAt: string | null) => ({
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      memberId: h.user.id,
      meetingId,
      content: '自学会议材料',
      date: '2026-01-02',
      notes: '',
      createdAt: new Date(now).toISOString(),
      confirmedBy: confirmedAt ? newId() : null,
      confirmedAt,
      updatedAt: new Date(now).toISOString(),
      deleted: false,
    })
    await h.db.makeups.bulkPut([makeup(confirmed.id, new Date(now).toISOString()), makeup(waiting.id, null)])
    page = await mountPage(h, MyOrgLifePage, '/meetings/record')
    // Only this year's meetings are listed; the two above started 150 and 160 minutes ago (their sign-in closed).
    const text = page.text()
    expect(text).toMatch(/已确认补学的会议[^]*缺席（已补学，书记已确认）/)
    expect(text).toMatch(/补学待确认的会议[^]*缺席（已补学，待确认）/)
  })

  it('a meeting whose sign-in window is still open is 待签到 for one not signed in, never 缺席', async () => {
    const now = Date.now()
    await h.db.meetings.put({
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      type: 'theme_day' as const,
      topic: '正在召开的会议',
      startsAt: new Date(now - 10 * 60_000).toISOString(),
      durationMinutes: 60,
      place: '',
      organiserId: newId(),
      speaker: '',
      expectedIds: [h.user.id],
      agenda: '',
      minutes: '',
      talkWithId: null,
      talkKind: null,
      photoIds: [],
      createdAt: new Date(now).toISOString(),
      signKey: null,
      updatedAt: new Date(now).toISOString(),
      deleted: false,
    })
    page = await mountPage(h, MyOrgLifePage, '/meetings/record')
    expect(page.text()).toMatch(/正在召开的会议[^]*待签到/)
    expect(page.text()).not.toContain('缺席')
  })
})
