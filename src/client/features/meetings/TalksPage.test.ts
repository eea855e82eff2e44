// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { Meeting, UserProfile } from '../../../core/schemas/entities.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const { default: TalksPage } = await import('./TalksPage.vue')
const theme = readFileSync('src/client/app/theme.css', 'utf8')
const talksSource = readFileSync('src/client/features/meetings/TalksPage.vue', 'utf8')

let h: PageHarness
let page: VueWrapper | null = null
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

const person = (over: Partial<UserProfile> & Pick<UserProfile, 'id' | 'name'>): UserProfile => ({
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  role: 'member',
  removed: false,
  joinedPartyOn: null,
  fullMemberOn: null,
  ...over,
})
const talk = (organiserId: string, talkWithId: string): Meeting => ({
  id: newId(),
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  type: 'heart_talk',
  topic: '谈心',
  startsAt: new Date(Date.now() - 3600_000).toISOString(),
  durationMinutes: 30,
  place: '',
  organiserId,
  speaker: '',
  expectedIds: [organiserId, talkWithId],
  agenda: '',
  minutes: '',
  talkWithId,
  talkKind: 'heart',
  photoIds: [],
  createdAt: new Date().toISOString(),
  signKey: null,
  updatedAt: new Date().toISOString(),
  deleted: false,
})

async function branch(role: 'secretary' | 'member', committee: boolean) {
  h = signedInHarness({ role, name: role === 'secretary' ? '王书记' : '陈委员' })
  const ids = { me: h.user.id, committee: newId(), a: newId(), b: newId() }
  await h.db.users.bulkPut([
    person({ id: ids.me, name: h.user.name, role, committee }),
    person({
      id: ids.committee,
      name: role === 'secretary' ? '陈委员' : '王书记',
      role: role === 'secretary' ? 'member' : 'secretary',
      committee: true,
    }),
    person({ id: ids.a, name: '张三' }),
    person({ id: ids.b, name: '李四' }),
  ])
  return ids
}

describe('谈心谈话 coverage', () => {
  it('the secretary sees, per committee member, who they have not talked with this year; the count of pairs; no notes', async () => {
    const ids = await branch('secretary', false)
    await h.db.meetings.bulkPut([talk(ids.me, ids.a), talk(ids.b, ids.committee)])
    page = await mountPage(h, TalksPage, '/meetings/talks')
    expect(page.get('[data-testid="talks-summary"]').text()).toBe('应谈 5 对，已谈 2 对。')
    const [mine, theirs] = page.findAll('[data-testid="talks-committee"]')
    expect(mine?.text()).toContain('王书记')
    expect(mine?.get('[data-testid="talks-not-yet"]').text()).toMatch(/^(?=.*李四)(?=.*陈委员)(?!.*张三)/s)
    expect(mine?.text()).toContain('已谈话：张三')
    // The secretary's own missing talks are links to record one with that person.
    expect(mine?.find('a[href*="talkWith"]').exists()).toBe(true)
    expect(theirs?.text()).toContain('已谈话：李四')
    expect(theirs?.find('a[href*="talkWith"]').exists()).toBe(false)
  })

  it('a 支部委员 sees only their own line; a member off the committee is told they owe none', async () => {
    const ids = await branch('member', true)
    await h.db.meetings.put(talk(ids.me, ids.a))
    page = await mountPage(h, TalksPage, '/meetings/talks')
    const lines = page.findAll('[data-testid="talks-committee"]')
    expect(lines).toHaveLength(1)
    expect(lines[0]?.text()).toContain('陈委员')
    expect(page.find('[data-testid="talks-summary"]').exists()).toBe(false)
    page.unmount()
    await h.db.delete()
    await branch('member', false)
    page = await mountPage(h, TalksPage, '/meetings/talks')
    expect(page.get('[data-testid="talks-empty"]').text()).toContain('您不是支部委员')
  })
})

describe('谈心谈话 names are chips, not underlined links', () => {
  /** The declarations of the first rule whose selector list is exactly `selector`. */
  const rule = (css: string, selector: string) =>
    new RegExp(`(?:^|\\n)${selector.replace(/[.*]/g, '\\$&')} \\{([^}]*)\\}`).exec(css)?.[1] ?? ''
  it('a name to talk with is a chip link; chip links are boxes of their own (44 px counts) with no underline, and the rows keep a gap', async () => {
    const ids = await branch('secretary', false)
    await h.db.meetings.put(talk(ids.me, ids.a))
    page = await mountPage(h, TalksPage, '/meetings/talks')
    const chips = page.findAll('[data-testid="talks-not-yet"] a')
    expect(chips.length).toBeGreaterThan(0)
    for (const c of chips) expect(c.classes()).toContain('chip')
    // The global underline for links in lists leaves chips alone; a chip link is inline-flex, not underlined.
    expect(theme).toMatch(/main li a:not\([^{]*\.chip\)/)
    const chipLink = rule(theme, 'a.chip')
    expect(chipLink).toMatch(/text-decoration: none/)
    expect(chipLink).toMatch(/display: inline-flex/)
    expect(rule(theme, '.chip')).toMatch(/min-height: 44px/)
    const gap = Number(/gap: (\d+)px/.exec(rule(talksSource, '.talk-names'))?.[1])
    expect(gap).toBeGreaterThanOrEqual(8)
  })
})
