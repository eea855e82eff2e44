// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
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

/** WCAG contrast of a #rrggbb colour on white. */
function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)
}

describe('组织生活记录: 出席 and 请假 told apart', () => {
  it('请假 has its own AA colour, not the red of 出席, and the words stay', async () => {
    const now = Date.now()
    const ids = [newId(), newId()]
    await h.db.meetings.bulkPut(
      ids.map((id, i) => ({
        id,
        orgId: h.user.orgId,
        branchId: h.user.branchId,
        type: 'theme_day' as const,
        topic: i === 0 ? '出席的会议' : '请假的会议',
        startsAt: new Date(now - (200 + i) * 60_000).toISOString(),
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
      })),
    )
    await h.db.attendance.bulkPut(
      ids.map((meetingId, i) => ({
        id: newId(),
        orgId: h.user.orgId,
        branchId: h.user.branchId,
        meetingId,
        memberId: h.user.id,
        status: i === 0 ? ('present' as const) : ('leave' as const),
        method: null,
        signedAt: null,
        leaveReason: '',
        leaveState: null,
        markedBy: null,
        note: '',
        updatedAt: new Date(now).toISOString(),
      })),
    )
    page = await mountPage(h, MyOrgLifePage, '/meetings/record')
    const statuses = page.findAll('[data-testid="org-life-status"]').map((s) => [s.text(), s.attributes('data-status')])
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['出席', 'present'],
        ['请假', 'leave'],
      ]),
    )
    // The page's rule for 请假: a colour of its own, readable (AA, 4.5:1) on the white card.
    const source = readFileSync('src/client/features/meetings/MyOrgLifePage.vue', 'utf8')
    const leave = /\[data-status='leave'\] \{\s*color: (#[0-9a-f]{6})/i.exec(source)?.[1] ?? ''
    const presentRed = /\.meeting-item__status \{\s*color: ([^ ;]+)/.exec(
      readFileSync('src/client/components/meeting-list.css', 'utf8'),
    )?.[1]
    expect(leave).toMatch(/^#/)
    expect(leave).not.toBe(presentRed)
    expect(contrastOnWhite(leave)).toBeGreaterThanOrEqual(4.5)
  })
})
