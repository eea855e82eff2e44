import { describe, expect, it } from 'vitest'
import {
  PROBATION_CHECKLIST,
  probationEndsOn,
  probationLine,
  probationReminders,
  probationsDue,
  type ProbationPerson,
} from './probation.ts'
import { DEFAULT_PREFS, type ReminderPerson, type ReminderPrefs } from './reminders.ts'

const pro = (id: string, joinedPartyOn: string, over: Partial<ProbationPerson> = {}): ProbationPerson => ({
  id,
  name: `党员${id}`,
  status: 'probationary',
  joinedPartyOn,
  fullMemberOn: null,
  ...over,
})

describe('预备党员转正', () => {
  it('the probation ends one year after 入党日期; 29 February ends on 28 February', () => {
    expect(probationEndsOn('2025-12-20')).toBe('2026-12-20')
    expect(probationEndsOn('2024-02-29')).toBe('2025-02-28')
  })

  it('lists probationers from 30 days before the end until three months after, unless 转正 is recorded', () => {
    const people = [
      pro('a', '2025-12-20'),
      pro('b', '2025-12-20', { fullMemberOn: '2026-12-21' }),
      pro('c', '2025-12-20', { status: 'full' }),
    ]
    expect(probationsDue(people, '2026-11-19')).toEqual([])
    expect(probationsDue(people, '2026-11-20')).toEqual([{ id: 'a', name: '党员a', endsOn: '2026-12-20', inDays: 30 }])
    expect(probationsDue(people, '2027-03-20').map((d) => d.inDays)).toEqual([-90])
    expect(probationsDue(people, '2027-03-21')).toEqual([])
    expect(probationLine({ id: 'a', name: '张三', endsOn: '2026-12-20', inDays: 20 })).toBe('张三 12月20日预备期满（还有20天）')
    expect(PROBATION_CHECKLIST.join()).toContain('支部大会')
  })

  it("reminds the branch's secretary and administrators once per probationer, through the party-dates setting", () => {
    const people: ReminderPerson[] = (
      [
        { id: 'p', name: '李四', role: 'member', branchId: 'b1', joinedPartyOn: '2025-12-20', status: 'probationary', fullMemberOn: null },
        { id: 's1', name: '书记1', role: 'secretary', branchId: 'b1', joinedPartyOn: null },
        { id: 's2', name: '书记2', role: 'secretary', branchId: 'b2', joinedPartyOn: null },
        { id: 'adm', name: '管理员', role: 'admin', branchId: null, joinedPartyOn: null },
        // An administrator of another organisation in the same database hears nothing of it.
        { id: 'adm2', name: '别处管理员', role: 'admin', branchId: null, joinedPartyOn: null, orgId: 'o2' },
        { id: 'm', name: '党员', role: 'member', branchId: 'b1', joinedPartyOn: null },
      ] satisfies ReminderPerson[]
    ).map((p) => ({ orgId: 'o1', ...p }))
    const at = (day: string, prefs = new Map<string, ReminderPrefs>()) =>
      probationReminders(people, day, (id) => prefs.get(id) ?? DEFAULT_PREFS)
    expect(at('2026-11-19')).toEqual([])
    const due = at('2026-11-20')
    expect(due.map((r) => r.userId)).toEqual(['s1', 'adm'])
    expect(due[0]).toMatchObject({ kind: 'branchWeekAhead', key: 'probation:p:2026-12-20', title: '李四 12月20日预备期满（还有30天）' })
    expect(due[0]?.body).toContain('支部大会讨论表决')
    // The same key every day of the window: the job's claim sends it once.
    expect(at('2026-12-20').map((r) => r.key)).toEqual(['probation:p:2026-12-20', 'probation:p:2026-12-20'])
    expect(at('2026-12-21')).toEqual([])
    expect(at('2026-11-25', new Map([['s1', { ...DEFAULT_PREFS, branchWeekAhead: false }]])).map((r) => r.userId)).toEqual(['adm'])
  })
})
