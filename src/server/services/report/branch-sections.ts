import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { YearFact, YearSection } from '../../../core/contracts/year-report.ts'
import { chinaToday, chinaYearBounds } from '../../../core/domain/china-time.ts'
import { talkCoverage } from '../../../core/domain/talk-coverage.ts'
import { MEETING_TYPE_LABELS } from '../../../core/domain/meetings.ts'
import { meetingsOfYear } from './meetings-section.ts'

/** 谈心谈话: required pairs and how many have talked (never what was said), and the kinds of talks held. */
export async function talksSection(db: Kysely<Database>, orgId: string, branchId: string, year: number, now: Date): Promise<YearSection> {
  const people = await db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'committee', 'removed_at'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .execute()
  const talks = (await meetingsOfYear(db, orgId, branchId, year)).filter((m) => m.type === 'heart_talk')
  const c = talkCoverage(
    people.map((p) => ({ id: p.id, name: p.name, role: p.role, committee: p.committee === 1, removed: p.removed_at !== null })),
    talks.map((t) => ({ type: t.type, organiserId: t.organiser_id, talkWithId: t.talk_with_id, startsAt: t.starts_at })),
    year,
    now,
  )
  const notYet = c.committee.filter((x) => x.notYet.length > 0).map((x) => `${x.name}（${x.notYet.length} 人）`)
  return {
    title: '谈心谈话',
    facts: [
      {
        label: '应谈',
        value: c.required === 0 ? '支部委员未标明' : `应谈 ${c.required} 对，已谈 ${c.held} 对`,
        note: '支部委员之间、支部委员与每名党员之间每年至少谈心谈话一次',
      },
      { label: '尚未谈完', value: notYet.length ? notYet.join('、') : '无' },
      { label: '开展谈话', value: `${talks.filter((t) => Date.parse(t.starts_at) <= now.getTime()).length} 次` },
    ],
  }
}

/**
 * 组织生活会 and 民主评议党员: when they were held this year (from the meetings recorded), and the
 * year's review as the app ran it: 对照检查 handed in, how many voted and whether the ballot closed,
 * how many the committee has graded — counts only: never a ballot, a grade or a paper's text.
 */
export async function reviewSection(db: Kysely<Database>, orgId: string, branchId: string, year: number, now: Date): Promise<YearSection> {
  const meetings = (await meetingsOfYear(db, orgId, branchId, year)).filter((m) => Date.parse(m.starts_at) <= now.getTime())
  const held = (type: 'org_life' | 'appraisal') => meetings.filter((m) => m.type === type).map((m) => chinaToday(new Date(m.starts_at)))
  const facts: YearFact[] = (['org_life', 'appraisal'] as const).map((t) => ({
    label: MEETING_TYPE_LABELS[t],
    value: held(t).length ? `已召开（${held(t).join('、')}）` : '本年度尚未召开',
  }))
  const cycle = await db
    .selectFrom('review_cycles')
    .select(['id', 'opens_on', 'ballot', 'subject_ids'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('year', '=', year)
    .executeTakeFirst()
  if (!cycle) {
    facts.push({ label: '年度评议', value: '本年度尚未在应用中开展' })
    return { title: '组织生活会和民主评议党员', facts }
  }
  const papers = await db
    .selectFrom('review_papers')
    .select('id')
    .where('cycle_id', '=', cycle.id)
    .where('handed_in_at', 'is not', null)
    .execute()
  const voters = await db.selectFrom('review_voters').select('voter_ids').where('cycle_id', '=', cycle.id).executeTakeFirst()
  const graded = await db.selectFrom('review_grades').select('id').where('cycle_id', '=', cycle.id).where('grade', 'is not', null).execute()
  const subjects = (JSON.parse(cycle.subject_ids) as string[]).length
  const voted = voters ? (JSON.parse(voters.voter_ids) as string[]).length : 0
  const ballot = { none: '尚未开始', open: `进行中，已投票 ${voted} 人`, closed: `已结束，${voted} 人投票` }[cycle.ballot] ?? cycle.ballot
  facts.push(
    { label: '征求意见', value: `自 ${cycle.opens_on} 起` },
    { label: '对照检查材料', value: `已交 ${papers.length} 份` },
    { label: '民主测评', value: ballot, note: '投票结果仅作评定参考，不作为评定依据' },
    { label: '评定', value: subjects ? `已评定 ${graded.length} 人，共 ${subjects} 人参加评议` : `已评定 ${graded.length} 人` },
  )
  return { title: '组织生活会和民主评议党员', facts }
}

/** 整改清单: items listed for the year, closed, open and overdue. */
export async function rectifySection(db: Kysely<Database>, orgId: string, branchId: string, year: number, now: Date): Promise<YearSection> {
  const items = await db
    .selectFrom('rectifications')
    .select(['due_on', 'closed_at'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('year', '=', year)
    .where('deleted', '=', 0)
    .execute()
  const today = chinaToday(now)
  const closed = items.filter((x) => x.closed_at !== null).length
  const overdue = items.filter((x) => x.closed_at === null && x.due_on < today).length
  return {
    title: '整改落实',
    facts: [
      { label: '整改事项', value: `${items.length} 项` },
      { label: '已销号', value: `${closed} 项` },
      { label: '未销号', value: `${items.length - closed} 项`, note: overdue ? `其中逾期 ${overdue} 项` : undefined },
    ],
  }
}

/** 联系服务群众: visits of the year, households reached, promised actions kept. */
export async function visitsSection(db: Kysely<Database>, orgId: string, branchId: string, year: number, now: Date): Promise<YearSection> {
  const [from, to] = chinaYearBounds(year)
  const visits = await db
    .selectFrom('visits')
    .select(['id', 'household_id'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('deleted', '=', 0)
    .where('visited_at', '>=', from)
    .where('visited_at', '<', to)
    .execute()
  const ids = visits.map((x) => x.id)
  const followups = ids.length
    ? await db.selectFrom('followups').select(['due_on', 'closed_at']).where('visit_id', 'in', ids).where('deleted', '=', 0).execute()
    : []
  const today = chinaToday(now)
  const closed = followups.filter((f) => f.closed_at !== null).length
  const overdue = followups.filter((f) => f.closed_at === null && f.due_on < today).length
  return {
    title: '联系服务群众',
    facts: [
      { label: '一线走访', value: `${visits.length} 次` },
      { label: '走访困难户', value: `${new Set(visits.map((x) => x.household_id).filter((h) => h !== null)).size} 户` },
      { label: '承诺事项', value: `${followups.length} 项，已办结 ${closed} 项`, note: overdue ? `逾期未办结 ${overdue} 项` : undefined },
    ],
  }
}
