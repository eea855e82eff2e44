import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { YearSection } from '../../../core/contracts/year-report.ts'
import { trainingRulesOn, trainingYear } from '../../../core/domain/training.ts'
import { formatFen } from '../../../core/domain/dues-rules.ts'
import { flagsIn, trainingFlagsOf, trainingRecordsOf, trainingSettingsOf } from '../training/training-data.ts'
import { duesLedgerLines } from '../ledgers/dues-ledger.ts'

/**
 * 学时 and 党费 of a branch's year for the 述职评议 pack: how many members reached the year's
 * requirement (counts only: the names are in the 学时台账; no hours are compared between members),
 * and the dues owed and paid by member-month with the year's amounts (the 党费收缴台账 has the rest).
 */
export async function trainingSection(db: Kysely<Database>, orgId: string, branchId: string, year: number): Promise<YearSection> {
  const { settings } = await trainingSettingsOf(db, orgId)
  const members = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('removed_at', 'is', null)
    .execute()
  const ids = members.map((m) => m.id)
  const records = await trainingRecordsOf(db, orgId, ids, `${year}-01-01`, `${year}-12-31`)
  const flags = await trainingFlagsOf(db, orgId, ids)
  const rules = trainingRulesOn(`${year}-12-31`)
  let reached = 0
  let short = 0
  let exempt = 0
  for (const id of ids) {
    const y = trainingYear({ memberId: id, year, settings, ...records }, flagsIn(flags, id))
    if (y.required === null) exempt++
    else if (y.short > 0) short++
    else reached++
  }
  const basis = settings.types.length
    ? `每学时 ${settings.minutesPerHour} 分钟，计入组织安排的培训、已确认的补学和其他培训；不计学习时长`
    : ''
  return {
    title: '党员教育培训（学时）',
    facts: [
      { label: '达到年度要求', value: `${reached} 人`, note: rules.memberCite },
      { label: '尚未达到', value: `${short} 人`, note: short ? '名单见学时台账' : undefined },
      { label: '不作硬性要求', value: `${exempt} 人`, note: exempt ? rules.exemptCite : undefined },
      { label: '计算方法', value: basis || '未设置计入学时的会议类型' },
    ],
  }
}

export async function duesSection(db: Kysely<Database>, orgId: string, branchId: string, year: number): Promise<YearSection> {
  const { lines, special } = await duesLedgerLines(db, orgId, branchId, year)
  const owed = lines.filter((l) => l.month !== '' && l.dueFen !== null)
  const paid = owed.filter((l) => l.paidFen !== null)
  const paidFen = paid.reduce((t, l) => t + (l.paidFen ?? 0), 0)
  const specialFen = special.reduce((t, s) => t + s.amountFen, 0)
  const undeclared = lines.filter((l) => l.month === '').length
  return {
    title: '党费收缴',
    facts: [
      { label: '应交', value: `${owed.length} 人·月`, note: '按党员申报的党费基数和规定的比例计算' },
      { label: '已交', value: `${paid.length} 人·月，共 ¥${formatFen(paidFen)}` },
      {
        label: '未交',
        value: `${owed.length - paid.length} 人·月`,
        note: undeclared ? `另有 ${undeclared} 人尚未申报党费基数` : undefined,
      },
      {
        label: '特殊党费',
        value: special.length ? `${special.length} 笔，共 ¥${formatFen(specialFen)}` : '无',
        note: '自愿交纳，单独记录',
      },
    ],
  }
}
