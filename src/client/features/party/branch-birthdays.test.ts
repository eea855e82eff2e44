// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { newId } from '../../../core/ids.ts'
import type { UserProfile } from '../../../core/schemas/entities.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'
import { takeNotices } from '../reminders/notices.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const { default: BranchBirthdaysCard } = await import('./BranchBirthdaysCard.vue')

let h: PageHarness
let page: VueWrapper | null = null
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

/** Joined the Party `days` from today, `years` ago: their political birthday is `days` away. */
const joinedIn = (days: number, years = 20) => {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000)
  return `${d.getUTCFullYear() - years}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`
}
const person = (
  u: SessionUser,
  name: string,
  branchId: string | null,
  joinedPartyOn: string | null,
  extra: Partial<UserProfile> = {},
): UserProfile => ({
  id: newId(),
  orgId: u.orgId,
  branchId,
  name,
  role: 'member',
  removed: false,
  joinedPartyOn,
  fullMemberOn: null,
  ...extra,
})

describe('政治生日 lists of those who manage', () => {
  it('a secretary is on his own branch’s list', async () => {
    h = signedInHarness({ role: 'secretary', name: '王书记' })
    await h.db.users.bulkPut([
      { ...person(h.user, '王书记', h.user.branchId, joinedIn(3)), id: h.user.id, role: 'secretary' },
      person(h.user, '张三', h.user.branchId, joinedIn(5)),
    ])
    page = await mountPage(h, BranchBirthdaysCard)
    expect(page.find('[data-testid="branch-birthdays"]').text()).toContain('王书记')
    expect(page.find('[data-testid="branch-birthdays"]').text()).toContain('张三')
  })

  it('an administrator’s “未来七天” notice counts the same people as the list below it: the whole organisation', async () => {
    h = signedInHarness({ role: 'admin' })
    const other = newId()
    await h.db.users.bulkPut([
      person(h.user, '甲', h.user.branchId, joinedIn(2)),
      person(h.user, '乙', other, joinedIn(3)),
      person(h.user, '丙', other, joinedIn(4)),
      person(h.user, '丁', newId(), joinedIn(40)),
    ])
    const notices = await takeNotices(h.db, h.user)
    expect(notices.find((n) => n.kind === 'branchWeekAhead')?.title).toBe('未来七天有3位党员过政治生日')
    page = await mountPage(h, BranchBirthdaysCard)
    expect(page.findAll('[data-testid="branch-birthdays"] li').map((li) => li.text().slice(0, 1))).toEqual(['甲', '乙', '丙'])
  })
})
