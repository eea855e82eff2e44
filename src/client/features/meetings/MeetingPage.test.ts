// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import { newMeetingKey } from '../../../core/domain/sign-in-token.ts'
import type { Meeting, UserProfile } from '../../../core/schemas/entities.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({
  startScheduler: () => Object.assign(() => undefined, { stop: () => undefined, closely: () => undefined }),
}))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))

const { default: MeetingPage } = await import('./MeetingPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

const member = newId()
function person(id: string, name: string, role: UserProfile['role'] = 'member'): UserProfile {
  return { id, orgId: h.user.orgId, branchId: h.user.branchId, name, role, removed: false, joinedPartyOn: null, fullMemberOn: null }
}
async function seed(startsInMinutes: number, minutes = ''): Promise<Meeting> {
  const now = new Date().toISOString()
  const m: Meeting = {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    type: 'branch_general',
    topic: '学习全会精神',
    startsAt: new Date(Date.now() + startsInMinutes * 60_000).toISOString(),
    durationMinutes: 60,
    place: '',
    organiserId: h.user.id,
    speaker: '',
    expectedIds: [h.user.id, member],
    agenda: '',
    minutes,
    talkWithId: null,
    talkKind: null,
    photoIds: [],
    createdAt: now,
    signKey: newMeetingKey(),
    updatedAt: now,
    deleted: false,
  }
  await h.db.users.bulkPut([person(h.user.id, '王书记', 'secretary'), person(member, '张三')])
  await h.db.meetings.put(m)
  return m
}

describe('the meeting page of the one who organises it', () => {
  it('a 民主评议党员 meeting leads to the year’s review (the ballot and the 评定); other meetings do not', async () => {
    h = signedInHarness({ role: 'secretary' })
    const m = await seed(-10)
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    expect(page.find('[data-testid="meeting-review-link"]').exists()).toBe(false)
    await h.db.meetings.put({ ...m, type: 'appraisal' })
    await settle()
    expect(page.find('[data-testid="meeting-review-link"]').attributes('href')).toBe('/review')
  })

  it('before the meeting starts nobody is 未到 yet: 待签到', async () => {
    h = signedInHarness({ role: 'secretary' })
    const m = await seed(24 * 60)
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    expect(page.find('[data-testid="roll-张三"]').text()).toContain('待签到')
    expect(page.find('[data-testid="roll"]').text()).not.toContain('未到')
  })

  it('while the meeting is in progress (sign-in window open) those not signed in are 待签到, not 未到', async () => {
    h = signedInHarness({ role: 'secretary' })
    const m = await seed(-30)
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    expect(page.find('[data-testid="roll-张三"]').text()).toContain('待签到')
    expect(page.find('[data-testid="roll"]').text()).not.toContain('未到')
  })

  it('after it, the organiser is offered no 补学 form for his own meeting', async () => {
    h = signedInHarness({ role: 'secretary' })
    const m = await seed(-3 * 60)
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    expect(page.find('[data-testid="roll-张三"]').text()).toContain('未到')
    expect(page.find('[data-testid="makeup-submit"]').exists()).toBe(false)
  })

  it('取消会议 is a danger button apart from the others, and asks before it cancels', async () => {
    h = signedInHarness({ role: 'secretary' })
    const m = await seed(24 * 60)
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    const cancel = page.find('[data-testid="cancel-meeting"]')
    expect(cancel.classes()).toContain('chip--danger')
    await cancel.trigger('click')
    await settle(2)
    expect(document.body.textContent).toContain('取消这次会议？')
    const keep = [...document.querySelectorAll<HTMLButtonElement>('.van-dialog button')].find((b) => b.textContent?.includes('不取消'))
    keep?.click()
    await settle(2)
    expect((await h.db.meetings.get(m.id))?.deleted).toBe(false)
    expect(await h.db.outbox.count()).toBe(0)
  })
})

describe('会议记录 as members see it', () => {
  it("only the template's headings: 尚未填写会议记录, not the empty template as if it were minutes", async () => {
    h = signedInHarness({ role: 'member' })
    const m = await seed(-3 * 60, '议题：\n讨论情况：\n决议：\n')
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    expect(page.find('[data-testid="meeting-minutes"]').text()).toBe('尚未填写会议记录')
    expect(page.text()).not.toContain('讨论情况：')
  })

  it('written minutes are shown as written', async () => {
    h = signedInHarness({ role: 'member' })
    const m = await seed(-3 * 60, '议题：学习全会精神\n决议：各党小组开展讨论')
    page = await mountPage(h, MeetingPage, `/meetings/${m.id}`)
    expect(page.find('[data-testid="meeting-minutes"]').text()).toContain('决议：各党小组开展讨论')
  })
})
