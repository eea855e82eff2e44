import { anniversaryIn, daysBetween } from './political-birthday.ts'
import type { MemberStatus } from './roles.ts'
import { appliesTo, type Reminder, type ReminderPerson, type ReminderPrefs } from './reminders.ts'

/**
 * 预备党员转正 (党章第七条; 发展党员工作细则第二十八至三十一条): the probation (预备期) is one year from
 * 入党日期, the day the 支部大会 admitted the member; it ends on the anniversary (29 February →
 * 28 February, as for the political birthday). From PROBATION_NOTICE_DAYS before, the secretary is
 * reminded with the steps; the 党委 approves within three months after the 支部大会's decision.
 */
export const PROBATION_NOTICE_DAYS = 30
/** After the end, the item stays on the secretary's list this long (党委审批 within 3 months), unless 转正 is recorded. */
export const PROBATION_APPROVAL_MONTHS = 3

export const PROBATION_CHECKLIST: readonly string[] = [
  '本人提交书面转正申请',
  '支部征求党小组和党员群众意见',
  '支部委员会审查并公示',
  '支部大会讨论表决',
  '报上级党委审批（3个月内）',
]

export const PROBATION_CITE = '《中国共产党发展党员工作细则》第二十八条至第三十一条：预备期为一年，自支部大会通过之日起计算'

/** The day the probation ends: 入党日期 + 1 year. */
export function probationEndsOn(joinedPartyOn: string): string {
  return anniversaryIn(joinedPartyOn, Number(joinedPartyOn.slice(0, 4)) + 1)
}

export interface ProbationPerson {
  id: string
  name: string
  status: MemberStatus
  joinedPartyOn: string | null
  fullMemberOn: string | null
}

export interface ProbationDue {
  id: string
  name: string
  endsOn: string
  /** Days until the end (negative after it). */
  inDays: number
}

function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  const ny = y + Math.floor(m / 12)
  const nm = (m % 12) + 1
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate()
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(Number(date.slice(8)), last)).padStart(2, '0')}`
}

/**
 * 预备党员 whose probation ends within PROBATION_NOTICE_DAYS, or ended less than three months ago
 * with no 转正日期 recorded: the secretary's list, soonest first.
 */
export function probationsDue(people: readonly ProbationPerson[], today: string): ProbationDue[] {
  const out: ProbationDue[] = []
  for (const p of people) {
    if (p.status !== 'probationary' || !p.joinedPartyOn || p.fullMemberOn) continue
    const endsOn = probationEndsOn(p.joinedPartyOn)
    const inDays = daysBetween(today, endsOn)
    if (inDays > PROBATION_NOTICE_DAYS || today > addMonths(endsOn, PROBATION_APPROVAL_MONTHS)) continue
    out.push({ id: p.id, name: p.name, endsOn, inDays })
  }
  return out.sort((a, b) => a.endsOn.localeCompare(b.endsOn) || a.name.localeCompare(b.name, 'zh-CN'))
}

/** "张三 12月1日预备期满（还有20天）" */
export function probationLine(d: ProbationDue): string {
  const date = `${Number(d.endsOn.slice(5, 7))}月${Number(d.endsOn.slice(8))}日`
  const when = d.inDays > 0 ? `还有${d.inDays}天` : d.inDays === 0 ? '今天' : `已满${-d.inDays}天`
  return `${d.name} ${date}预备期满（${when}）`
}

/**
 * 预备期满, for each secretary of the branch and each administrator, from 30 days ahead until the
 * day: one reminder per probationer and end date (the key), sent once by the job's claim.
 */
export function probationReminders(people: readonly ReminderPerson[], today: string, prefsOf: (id: string) => ReminderPrefs): Reminder[] {
  const due = probationsDue(
    people.map((p) => ({
      id: p.id,
      name: p.name,
      status: p.status ?? 'full',
      joinedPartyOn: p.joinedPartyOn,
      fullMemberOn: p.fullMemberOn ?? null,
    })),
    today,
  ).filter((d) => d.inDays >= 0 && d.inDays <= PROBATION_NOTICE_DAYS)
  const out: Reminder[] = []
  for (const d of due) {
    const who = people.find((p) => p.id === d.id)
    const branch = who?.branchId ?? null
    for (const p of people) {
      if (!appliesTo('branchWeekAhead', p.role) || !prefsOf(p.id).branchWeekAhead) continue
      if (p.orgId !== who?.orgId) continue
      if (p.role === 'secretary' && (branch === null || p.branchId !== branch)) continue
      out.push({
        userId: p.id,
        kind: 'branchWeekAhead',
        key: `probation:${d.id}:${d.endsOn}`,
        title: probationLine(d),
        body: `转正程序：${PROBATION_CHECKLIST.join('；')}。`,
        url: '/training/branch',
        // The values of the organ's SMS template for the secretary's list (name, count, names).
        vars: { name: p.name, count: '1', names: `${d.name}（${d.endsOn}预备期满）` },
      })
    }
  }
  return out
}
