// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { Branch, Meeting, UserProfile } from '../../../core/schemas/entities.ts'
import { newMeetingKey } from '../../../core/domain/sign-in-token.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

const syncs = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync() {
      syncs.count++
      return Promise.resolve({ ok: true })
    }
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))

const { default: MeetingFormPage } = await import('./MeetingFormPage.vue')

let h: PageHarness
let page: VueWrapper
const groupA = newId()
const groupB = newId()
const ids = { committee: newId(), inGroupA: newId(), inGroupB: newId(), plain: newId(), otherBranch: newId() }

function person(id: string, name: string, extra: Partial<UserProfile> = {}): UserProfile {
  return {
    id,
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    name,
    role: 'member',
    removed: false,
    joinedPartyOn: null,
    fullMemberOn: null,
    ...extra,
  }
}
async function seedBranch(): Promise<void> {
  const branch: Branch = {
    id: h.user.branchId ?? '',
    orgId: h.user.orgId,
    name: '第一党支部',
    archived: false,
    groups: [
      { id: groupA, name: '第一党小组' },
      { id: groupB, name: '第二党小组' },
    ],
  }
  await h.db.branches.put(branch)
}
async function seedPeople(): Promise<void> {
  await h.db.users.bulkPut([
    person(h.user.id, '王书记', { role: 'secretary' }),
    person(ids.committee, '李委员', { committee: true, groupId: groupA }),
    person(ids.inGroupA, '张三', { groupId: groupA }),
    person(ids.inGroupB, '赵六', { groupId: groupB }),
    person(ids.plain, '钱七'),
    person(ids.otherBranch, '孙八', { branchId: newId(), committee: true }),
  ])
}
const pressed = () => page.findAll('[aria-label="应到人员"] button[aria-pressed="true"]').map((b) => b.text())
const chooseType = async (label: string) => {
  const chip = page.findAll('[aria-label="会议类型"] button').find((b) => b.text() === label)
  await chip?.trigger('click')
  await settle(2)
}

beforeEach(() => {
  h = signedInHarness({ role: 'secretary' })
  syncs.count = 0
})
afterEach(async () => {
  page.unmount()
  await h.db.delete()
})

describe('安排会议: who is expected follows the type', () => {
  it('支部委员会 proposes the committee, 党小组会 the chosen group, 支部党员大会 the whole branch; switching type updates the list', async () => {
    await seedBranch()
    await seedPeople()
    page = await mountPage(h, MeetingFormPage, '/meetings/new')
    await chooseType('支部委员会')
    expect(pressed().sort()).toEqual(['李委员', '王书记'].sort())

    await chooseType('党小组会')
    expect(pressed().sort()).toEqual(['张三', '李委员'].sort())
    await page
      .findAll('[aria-label="党小组"] button')
      .find((b) => b.text() === '第二党小组')
      ?.trigger('click')
    await settle(2)
    expect(pressed()).toEqual(['赵六'])

    await chooseType('支部党员大会')
    expect(pressed().sort()).toEqual(['张三', '李委员', '王书记', '赵六', '钱七'].sort())
    await chooseType('支部委员会')
    expect(pressed().sort()).toEqual(['李委员', '王书记'].sort())
  })

  it('right after sign-in, before the roster reached the phone: fetches it, waits, and never saves an empty 应到', async () => {
    await seedBranch()
    page = await mountPage(h, MeetingFormPage, '/meetings/new')
    expect(syncs.count).toBeGreaterThan(0)
    expect(page.find('[data-testid="roster-waiting"]').exists()).toBe(true)
    await page.find('input[name="topic"]').setValue('学习贯彻全会精神')
    await page.find('form').trigger('submit')
    await settle(2)
    expect(page.find('[data-testid="form-error"]').text()).toMatch(/人员名单还没有同步到本机/)
    expect(await h.db.meetings.count()).toBe(0)

    // The roster arrives: the list fills in by itself and the meeting saves with it.
    await seedPeople()
    await settle()
    await chooseType('支部党员大会')
    expect(pressed()).toHaveLength(5)
    await page.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await h.db.meetings.count()).toBe(1), { timeout: 5000 })
    const [saved] = await h.db.meetings.toArray()
    expect(saved?.expectedIds).toHaveLength(5)
  })
})

describe('会议记录: the template is a placeholder, never saved as minutes', () => {
  it("a new meeting starts with empty minutes and the type's template as the placeholder; saved untouched, the minutes are empty", async () => {
    await seedBranch()
    await seedPeople()
    page = await mountPage(h, MeetingFormPage, '/meetings/new')
    await chooseType('支部党员大会')
    const minutes = page.find<HTMLTextAreaElement>('textarea[name="minutes"]')
    expect(minutes.element.value).toBe('')
    expect(minutes.attributes('placeholder')).toContain('讨论情况：')
    await page.find('input[name="topic"]').setValue('学习贯彻全会精神')
    await page.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await h.db.meetings.count()).toBe(1), { timeout: 5000 })
    expect((await h.db.meetings.toArray())[0]?.minutes).toBe('')
  })

  it('headings typed in with nothing under them are saved as empty minutes', async () => {
    await seedBranch()
    await seedPeople()
    page = await mountPage(h, MeetingFormPage, '/meetings/new')
    await chooseType('支部党员大会')
    await page.find('input[name="topic"]').setValue('学习贯彻全会精神')
    await page.find('textarea[name="minutes"]').setValue('议题：\n讨论情况：\n决议：\n')
    await page.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await h.db.meetings.count()).toBe(1), { timeout: 5000 })
    expect((await h.db.meetings.toArray())[0]?.minutes).toBe('')
  })
})

describe('修改 a meeting opened directly by link', () => {
  it('保存 goes to the meeting, not back out of the app', async () => {
    await seedBranch()
    await seedPeople()
    const now = new Date().toISOString()
    const m: Meeting = {
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      type: 'branch_general',
      topic: '学习全会精神',
      startsAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
      durationMinutes: 60,
      place: '',
      organiserId: h.user.id,
      speaker: '',
      expectedIds: [h.user.id],
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
    await h.db.meetings.put(m)
    page = await mountPage(h, MeetingFormPage, `/meetings/${m.id}/edit`)
    await page.find('input[name="topic"]').setValue('学习贯彻全会精神')
    await page.find('form').trigger('submit')
    await vi.waitFor(() => expect(h.router.currentRoute.value.fullPath).toBe(`/meetings/${m.id}`), { timeout: 5000 })
    expect((await h.db.meetings.get(m.id))?.topic).toBe('学习贯彻全会精神')
  })
})

describe('谈心谈话 reads as a talk, not a meeting', () => {
  it('the header, topic, 提纲 and 记录 are worded for a talk; no sign-in time, no 应到/实到 footer; the privacy note sits right above 谈话记录', async () => {
    await seedBranch()
    await seedPeople()
    page = await mountPage(h, MeetingFormPage, '/meetings/new')
    await chooseType('支部党员大会')
    expect(page.find('h1').text()).toBe('安排会议')
    expect(page.find('[data-testid="sign-in-window"]').exists()).toBe(true)
    expect(page.find('[data-testid="attendance-footer"]').exists()).toBe(true)
    expect(page.find('[data-testid="talk-privacy"]').exists()).toBe(false)

    await chooseType('谈心谈话')
    expect(page.find('h1').text()).toBe('记录谈心谈话')
    const text = page.text()
    expect(text).toContain('谈话主题')
    expect(text).not.toContain('会议主题')
    expect(page.find('input[name="topic"]').attributes('placeholder')).toBe('如：思想和工作情况')
    expect(text).toContain('谈话提纲')
    expect(text).toContain('谈话记录')
    expect(text).not.toContain('会议记录')
    expect(page.find('[data-testid="sign-in-window"]').exists()).toBe(false)
    expect(page.find('[data-testid="attendance-footer"]').exists()).toBe(false)
    // The note is the element right before the 谈话记录 field, not under the attendee chips.
    const note = page.find('[data-testid="talk-privacy"]')
    expect(note.text()).toBe('谈话记录仅您和谈话对象可见，书记和管理员只能看到谈话已开展。')
    const minutesField = page.find('textarea[name="minutes"]').element.closest('.van-field')
    expect(note.element.nextElementSibling).toBe(minutesField)
  })

  it('editing a talk says 修改谈心谈话', async () => {
    await seedBranch()
    await seedPeople()
    const now = new Date().toISOString()
    const m: Meeting = {
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      type: 'heart_talk',
      topic: '思想和工作情况',
      startsAt: now,
      durationMinutes: 30,
      place: '',
      organiserId: h.user.id,
      speaker: '',
      expectedIds: [h.user.id, ids.plain],
      agenda: '',
      minutes: '',
      talkWithId: ids.plain,
      talkKind: 'heart',
      photoIds: [],
      createdAt: now,
      signKey: newMeetingKey(),
      updatedAt: now,
      deleted: false,
    }
    await h.db.meetings.put(m)
    page = await mountPage(h, MeetingFormPage, `/meetings/${m.id}/edit`)
    expect(page.find('h1').text()).toBe('修改谈心谈话')
    expect(page.find('textarea[name="minutes"]').exists()).toBe(true)
  })
})
