// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { TrainingReply } from '../../../core/contracts/training.ts'
import type { Meeting, OutsideTraining, UserProfile } from '../../../core/schemas/entities.ts'
import type { MeetingType } from '../../../core/domain/meetings.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

const server = vi.hoisted(() => ({
  reply: null as TrainingReply | null,
  flags: [] as [string, { cadre: boolean; exempt: boolean }][],
}))
vi.mock('../../api/training-client.ts', () => ({
  trainingApi: {
    training: () => (server.reply ? Promise.resolve(server.reply) : Promise.reject(new Error('offline'))),
    setTraining: () => Promise.reject(new Error('offline')),
    setFlags: (id: string, f: { cadre: boolean; exempt: boolean }) => {
      server.flags.push([id, f])
      return Promise.resolve({ ok: true })
    },
  },
}))
vi.mock('../../sync/engine.ts', () => ({ SyncEngine: class {} }))
const { default: MyTrainingPage } = await import('./MyTrainingPage.vue')
const { useTrainingStore } = await import('./training.store.ts')
const { default: TrainingRoute } = await import('./TrainingRoute.vue')
const { default: BranchTrainingPage } = await import('./BranchTrainingPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

const china = (local: string) => new Date(`${local}+08:00`).toISOString()
/** The moment the pages count to (China time). */
const at = (local: string) => (useTrainingStore().now = new Date(china(local)))
function meeting(type: MeetingType, startsAt: string, durationMinutes: number): Meeting {
  return {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    type,
    topic: `${type}专题`,
    startsAt,
    durationMinutes,
    place: '',
    organiserId: newId(),
    speaker: '',
    expectedIds: [],
    agenda: '',
    minutes: '',
    talkWithId: null,
    talkKind: null,
    photoIds: [],
    createdAt: startsAt,
    signKey: null,
    updatedAt: startsAt,
    deleted: false,
  }
}
const present = (m: Meeting, memberId: string) => ({
  id: newId(),
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  meetingId: m.id,
  memberId,
  status: 'present' as const,
  method: 'manual' as const,
  signedAt: m.startsAt,
  leaveReason: '',
  leaveState: null,
  markedBy: null,
  note: '',
  updatedAt: m.startsAt,
})
const outside = (memberId: string, minutes: number, confirmedAt: string | null): OutsideTraining => ({
  id: newId(),
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  memberId,
  kind: 'party_school',
  title: '县委党校轮训',
  organiser: '县委党校',
  startOn: '2026-05-01',
  endOn: '2026-05-05',
  minutes,
  photoIds: [],
  notes: '',
  createdAt: china('2026-05-06T09:00:00'),
  confirmedBy: confirmedAt ? newId() : null,
  confirmedAt,
  updatedAt: china('2026-05-06T09:00:00'),
  deleted: false,
})

describe('我的学时', () => {
  beforeEach(() => {
    h = signedInHarness({ role: 'member', name: '张三' })
    server.reply = { settings: { types: ['party_lesson'], minutesPerHour: 45 }, custom: true, flags: {}, probations: [] }
  })

  it('shows private progress counted from attended training meetings and confirmed outside training, never from self-recorded study', async () => {
    const lesson = meeting('party_lesson', china('2026-03-15T09:00:00'), 120)
    const theme = meeting('theme_day', china('2026-04-15T09:00:00'), 60)
    await h.db.meetings.bulkPut([lesson, theme])
    await h.db.attendance.bulkPut([present(lesson, h.user.id), present(theme, h.user.id)])
    await h.db.outside_trainings.bulkPut([outside(h.user.id, 600, china('2026-05-07T09:00:00')), outside(h.user.id, 300, null)])
    // Self-recorded study never counts, however long.
    await h.db.study_records.put({
      id: newId(),
      ownerId: h.user.id,
      branchId: h.user.branchId,
      orgId: h.user.orgId,
      kind: 'party_lesson',
      title: '自学党课',
      date: '2026-06-01',
      minutes: 1440,
      notes: '',
      sourceUrl: '',
      createdAt: china('2026-06-01T09:00:00'),
      updatedAt: china('2026-06-01T09:00:00'),
      deleted: false,
    })
    page = await mountPage(h, MyTrainingPage, '/training')
    at('2026-11-20T10:00:00')
    await settle()
    // (120 + 600) / 45 = 16 学时.
    expect(page.get('[data-testid="training-progress"]').text()).toBe('今年 16 / 32 学时')
    expect(page.findAll('[data-testid="training-item"]')).toHaveLength(2)
    const rows = page.findAll('[data-testid="outside-row"]').map((r) => r.text())
    expect(rows.filter((t) => /600分钟\s*已确认/.test(t))).toHaveLength(1)
    expect(rows.filter((t) => /300分钟\s*待确认/.test(t))).toHaveLength(1)
    // Withdrawing the record still waiting takes a second tap on it; the confirmed one cannot be withdrawn.
    const withdraw = page.get('[data-testid="outside-withdraw"]')
    await withdraw.trigger('click')
    await settle()
    expect(await h.db.outbox.count()).toBe(0)
    expect(withdraw.text()).toBe('确定撤回')
    await withdraw.trigger('click')
    await vi.waitFor(async () => expect(await h.db.outbox.count()).toBe(1))
    await vi.waitFor(() => expect(page?.findAll('[data-testid="outside-withdraw"]')).toHaveLength(0))
  })

  it('a cadre sees the 90 学时 requirement; one marked frail sees no requirement', async () => {
    server.reply = {
      settings: { types: ['party_lesson'], minutesPerHour: 60 },
      custom: true,
      flags: { [h.user.id]: { cadre: true, exempt: false } },
      probations: [],
    }
    page = await mountPage(h, MyTrainingPage, '/training')
    await settle()
    expect(page.get('[data-testid="training-progress"]').text()).toMatch(/^今年 0 \/ 90 学时$/)
    page.unmount()
    server.reply = { ...server.reply, flags: { [h.user.id]: { cadre: true, exempt: true } } }
    page = await mountPage(h, MyTrainingPage, '/training')
    await settle()
    expect(page.get('[data-testid="training-progress"]').text()).toBe('今年 0 学时（不作硬性要求）')
  })
})

describe('学时与党员管理 (the secretary)', () => {
  const person = (name: string): UserProfile => ({
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    name,
    role: 'member',
    removed: false,
    joinedPartyOn: null,
    fullMemberOn: null,
  })

  beforeEach(() => {
    h = signedInHarness({ role: 'secretary', name: '王书记' })
  })

  it('in the fourth quarter: who is short by name, the six-month watch, 预备期满 with the steps, training to confirm', async () => {
    const [zhang, li, zhao, wang] = [person('张三'), person('李四'), person('赵六'), person('王五')]
    await h.db.users.bulkPut([zhang, li, zhao, wang, { ...person('王书记'), id: h.user.id, role: 'secretary' }])
    const everyone = [zhang, li, zhao, wang].map((p) => p.id)
    // Everyone was expected from January (the watch judges from the first meeting one was expected at).
    const january = { ...meeting('theme_day', china('2026-01-15T09:00:00'), 60), expectedIds: everyone }
    const lesson = { ...meeting('party_lesson', china('2026-07-15T09:00:00'), 120), expectedIds: [...everyone, h.user.id] }
    await h.db.meetings.bulkPut([january, lesson])
    // 张三 and 赵六 last came in July (3 months without: a warning); 李四 and 王五 never (10 months: the alert); 赵六 is exempt from 学时.
    await h.db.attendance.bulkPut([present(lesson, zhang.id), present(lesson, h.user.id), present(lesson, zhao.id)])
    const pending = outside(li.id, 300, null)
    await h.db.outside_trainings.put(pending)
    server.reply = {
      settings: { types: ['party_lesson'], minutesPerHour: 45 },
      custom: true,
      flags: { [zhao.id]: { cadre: false, exempt: true } },
      probations: [{ id: wang.id, name: '王五', endsOn: '2026-12-10', inDays: 20 }],
    }
    page = await mountPage(h, BranchTrainingPage, '/training/branch')
    at('2026-11-20T10:00:00')
    await settle()

    expect(page.get('[data-testid="probation-row"]').text()).toBe('王五 12月10日预备期满（还有20天）')
    expect(page.get('[data-testid="probation-card"]').text()).toContain('支部大会讨论表决')

    const watch = page
      .findAll('[data-testid="watch-row"]')
      .map((r) => [r.find('th').text(), r.attributes('data-level'), r.find('td').text()])
    expect(watch.sort()).toEqual(
      [
        ['张三', 'warning', '连续3个月'],
        ['李四', 'alert', '连续10个月'],
        ['王五', 'alert', '连续10个月'],
        // Exempt from 学时, not from organisational life.
        ['赵六', 'warning', '连续3个月'],
        ['王书记', 'warning', '连续3个月'],
      ].sort(),
    )
    expect(page.findAll('[data-testid="watch-alert"]')[0]?.text()).toContain('第三十一条第六项')
    // No dues in the app: no 党费 column.
    expect(page.get('[data-testid="watch-card"] thead').text()).not.toContain('党费')

    // By name (pinyin order of the locale), never by hours; the exempt member is not listed; no percentages.
    const short = page.findAll('[data-testid="short-row"]').map((r) => r.text())
    expect(short.map((t) => t.split('：')[0])).toEqual(['李四', '王五', '王书记', '张三'].sort((a, b) => a.localeCompare(b, 'zh-CN')))
    expect(short.join()).not.toMatch(/%|排名/)
    expect(short.find((t) => t.startsWith('张三'))).toBe('张三：应 32 学时，已 2.6 学时，尚差 29.4 学时')

    await page.get('[data-testid="confirm-training"]').trigger('click')
    await settle()
    expect((await h.db.outside_trainings.get(pending.id))?.confirmedBy).toBe(h.user.id)
    expect(await h.db.outbox.count()).toBe(1)
  })

  it('with 党费 kept in the app, the watch shows the months unpaid in a row, from the month each member pays from', async () => {
    const [zhang, li] = [person('张三'), person('李四')]
    await h.db.users.bulkPut([zhang, li, { ...person('王书记'), id: h.user.id, role: 'secretary' }])
    const lesson = { ...meeting('party_lesson', china('2026-01-15T09:00:00'), 60), expectedIds: [zhang.id, li.id] }
    await h.db.meetings.put(lesson)
    const profile = (memberId: string, fromMonth: string) => ({
      id: memberId,
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      memberId,
      category: 'in_service' as const,
      baseFen: 500000,
      fromMonth,
      checkedOn: '2026-01-05',
      declaredBy: memberId,
      updatedAt: new Date().toISOString(),
    })
    await h.db.dues_profiles.bulkPut([profile(zhang.id, '2026-01'), profile(li.id, '2026-10')])
    // 张三 paid January to July (nothing since: August, September, October unpaid); 李四 owes from October only.
    await h.db.dues_payments.put({
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      memberId: zhang.id,
      kind: 'arrears',
      months: ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'],
      amountFen: 35000,
      method: 'cash',
      receivedOn: '2026-07-20',
      notes: '',
      createdAt: new Date().toISOString(),
      category: 'in_service',
      baseFen: 500000,
      monthlyFen: 5000,
      collectorId: h.user.id,
      receiptNo: 'R1',
      updatedAt: new Date().toISOString(),
      deleted: false,
    })
    server.reply = { settings: { types: ['party_lesson'], minutesPerHour: 45 }, custom: false, flags: {}, probations: [] }
    page = await mountPage(h, BranchTrainingPage, '/training/branch')
    at('2026-11-20T10:00:00')
    await settle()
    expect(page.get('[data-testid="watch-card"] thead').text()).toContain('未交纳党费')
    const rows = new Map(page.findAll('[data-testid="watch-row"]').map((r) => [r.find('th').text(), r.findAll('td').map((c) => c.text())]))
    expect(rows.get('张三')?.[1]).toBe('连续3个月')
    expect(rows.get('李四')?.[1]).toBe('连续1个月')
  })

  it('shows no short list before October, and marks a member through the server', async () => {
    const zhang = person('张三')
    await h.db.users.bulkPut([zhang])
    server.reply = { settings: { types: ['party_lesson'], minutesPerHour: 45 }, custom: false, flags: {}, probations: [] }
    page = await mountPage(h, BranchTrainingPage, '/training/branch')
    at('2026-09-30T10:00:00')
    await settle()
    expect(page.find('[data-testid="short-card"]').exists()).toBe(false)
    await page.get('[data-testid="flag-exempt"]').trigger('click')
    await settle()
    expect(server.flags).toEqual([[zhang.id, { cadre: false, exempt: true }]])
  })
})

describe('one route for both 学时 pages', () => {
  beforeEach(() => {
    h = signedInHarness({ role: 'secretary', name: '王书记' })
    server.reply = { settings: { types: ['party_lesson'], minutesPerHour: 45 }, custom: false, flags: {}, probations: [] }
    h.router.addRoute({ path: '/training/:view(branch)?', component: { render: () => null } })
  })

  it('/training opens 我的学时 and /training/branch 学时与党员管理', async () => {
    page = await mountPage(h, TrainingRoute, '/training')
    await vi.waitFor(() => expect(page?.text()).toContain('我的学时'))
    page.unmount()
    page = await mountPage(h, TrainingRoute, '/training/branch')
    await vi.waitFor(() => expect(page?.text()).toContain('学时与党员管理'))
  })
})
