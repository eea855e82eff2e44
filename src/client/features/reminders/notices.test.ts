import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AccountDb } from '../../db/account-db.ts'
import { takeNotices } from './notices.ts'
import { newId } from '../../../core/ids.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { createStudy } from '../study/study.repo.ts'
import { saveReminderPrefs } from './reminders.repo.ts'

const china = (local: string) => new Date(`${local}+08:00`)
let db: AccountDb
const orgId = newId()
const branchId = newId()
const user: SessionUser = {
  id: newId(),
  orgId,
  orgName: '机关党委',
  branchId,
  branchName: '第一党支部',
  name: '张三',
  phone: '13800000001',
  role: 'member',
}

beforeEach(async () => {
  db = new AccountDb(`notices-${newId()}`)
  await db.users.put({
    id: user.id,
    orgId,
    branchId,
    name: '张三',
    role: 'member',
    removed: false,
    joinedPartyOn: '2000-11-25',
    fullMemberOn: null,
  })
})
afterEach(() => db.delete())

describe('in-app notices', () => {
  it('shows what fell due since the app was last opened, once', async () => {
    expect(await takeNotices(db, user, china('2026-11-20T09:00:00'))).toEqual([])
    const later = await takeNotices(db, user, china('2026-11-28T09:00:00'))
    expect(later.map((n) => n.title)).toEqual(['11月25日是您的第26个政治生日'])
    expect(await takeNotices(db, user, china('2026-11-28T12:00:00'))).toEqual([])
    expect(await takeNotices(db, user, china('2026-11-29T12:00:00'))).toEqual([])
  })

  it('warns of changes waiting more than a day, and the opt-in study reminder only when asked for', async () => {
    await takeNotices(db, user, china('2026-11-21T08:00:00'))
    await saveReminderPrefs(db, user, { studyGap: true })
    // The settings change itself is waiting in the outbox: written "now" (real clock), so fake a day later.
    const outbox = await db.outbox.toArray()
    await db.outbox.update(outbox[0]?.seq ?? 0, { clientTime: china('2026-11-21T08:00:00').toISOString() })
    const notices = await takeNotices(db, user, china('2026-11-22T09:00:00'))
    expect(notices.map((n) => n.kind).sort()).toEqual(['studyGap', 'unsynced'])
    await createStudy(db, user, { kind: 'self_study', title: '学习', date: '2026-12-21', minutes: 30, notes: '', sourceUrl: '' })
    // A month later: the study was recorded (no study reminder); the 25 November birthday was missed meanwhile.
    const december = await takeNotices(db, user, china('2026-12-22T09:00:00'))
    expect(december.map((n) => n.kind).sort()).toEqual(['birthday', 'unsynced'])
  })

  it('tells the member once that their 投诉建议 was answered (and never of anybody else’s)', async () => {
    const base = { orgId, branchId, category: 'suggestion' as const, text: '建议', anonymous: false, createdAt: '2026-11-01T00:00:00.000Z' }
    const answered = {
      answer: '已采纳，谢谢',
      answeredBy: newId(),
      answeredAt: '2026-11-27T02:00:00.000Z',
      updatedAt: '2026-11-27T02:00:00.000Z',
      deleted: false,
    }
    await db.feedback.bulkPut([
      { id: newId(), authorId: user.id, ...base, ...answered },
      { id: newId(), authorId: newId(), ...base, ...answered },
      {
        id: newId(),
        authorId: user.id,
        ...base,
        answer: '',
        answeredBy: null,
        answeredAt: null,
        updatedAt: base.createdAt,
        deleted: false,
      },
    ])
    const first = await takeNotices(db, user, china('2026-11-28T09:00:00'))
    expect(first.filter((n) => n.kind === 'feedbackAnswered').map((n) => [n.title, n.body, n.url])).toEqual([
      ['您的建议已收到答复', '已采纳，谢谢', '/me/feedback'],
    ])
    expect((await takeNotices(db, user, china('2026-11-28T10:00:00'))).filter((n) => n.kind === 'feedbackAnswered')).toEqual([])
  })
})
