import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { chinaToday, chinaYearBounds } from '../../../core/domain/china-time.ts'
import { cellDay, chinaCellTime, titledSheet, wrapColumns } from './workbook.ts'

/**
 * 两卡一台账 for one branch and year: household cards, visit records, follow-ups. From what was
 * recorded. Like the meeting and study ledgers, each sheet has a title row (branch, year, 走访台账),
 * prints landscape and keeps dates as dates.
 */
export async function visitsWorkbook(db: Kysely<Database>, orgId: string, branchId: string, year: number, title: string): Promise<Buffer> {
  const [from, to] = chinaYearBounds(year)
  const households = await db
    .selectFrom('households')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('deleted', '=', 0)
    .orderBy('name')
    .execute()
  const visits = await db
    .selectFrom('visits')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('deleted', '=', 0)
    .where('visited_at', '>=', from)
    .where('visited_at', '<', to)
    .orderBy('visited_at')
    .execute()
  const followups = await db
    .selectFrom('followups')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('deleted', '=', 0)
    .orderBy('due_on')
    .execute()
  const names = new Map(
    (await db.selectFrom('users').select(['id', 'name']).where('org_id', '=', orgId).execute()).map((u) => [u.id, u.name]),
  )
  const who = (json: string) => (JSON.parse(json) as string[]).map((id) => names.get(id) ?? '').join('、')
  const hName = new Map(households.map((h) => [h.id, h.name]))
  const today = chinaToday(new Date())

  const wb = new ExcelJS.Workbook()
  wb.creator = '党建随行'
  wb.title = title
  const cards = titledSheet(wb, '联系户', `${title}（联系户）`, [
    { header: '户主', key: 'name', width: 10 },
    { header: '村（社区）', key: 'village', width: 14 },
    { header: '地址', key: 'address', width: 24 },
    { header: '联系方式', key: 'contact', width: 14 },
    { header: '家庭情况', key: 'situation', width: 30 },
    { header: '困难与需求', key: 'needs', width: 30 },
    { header: '联系党员', key: 'members', width: 16 },
    { header: '告知本户', key: 'informed', width: 18 },
    { header: '本年走访次数', key: 'count', width: 12 },
    { header: '最近走访', key: 'last', width: 17, date: 'time' },
  ])
  for (const h of households) {
    const mine = visits.filter((x) => x.household_id === h.id)
    cards.addRow({
      name: h.name,
      village: h.village,
      address: h.address,
      contact: h.contact,
      situation: h.situation,
      needs: h.needs,
      members: who(h.member_ids),
      informed: h.informed_on ? `${h.informed_on} ${names.get(h.informed_by ?? '') ?? ''}告知`.trim() : '未记录',
      count: mine.length,
      last: chinaCellTime(mine.at(-1)?.visited_at ?? null),
    })
  }
  const records = titledSheet(wb, '走访记录', `${title}（走访记录）`, [
    { header: '走访时间', key: 'at', width: 17, date: 'time' },
    { header: '联系户 / 地点', key: 'where', width: 18 },
    { header: '走访人员', key: 'members', width: 16 },
    { header: '走访情况', key: 'findings', width: 40 },
    { header: '反映的问题', key: 'problems', width: 30 },
    { header: '照片', key: 'photos', width: 6 },
  ])
  for (const x of visits) {
    records.addRow({
      at: chinaCellTime(x.visited_at),
      where: x.household_id ? (hName.get(x.household_id) ?? '') : x.place,
      members: who(x.member_ids),
      findings: x.findings,
      problems: x.problems,
      photos: (JSON.parse(x.photo_ids) as string[]).length,
    })
  }
  const promised = titledSheet(wb, '承诺事项', `${title}（承诺事项）`, [
    { header: '事项', key: 'text', width: 30 },
    { header: '联系户', key: 'household', width: 12 },
    { header: '责任人', key: 'owner', width: 10 },
    { header: '期限', key: 'due', width: 12, date: 'day' },
    { header: '状态', key: 'state', width: 10 },
    { header: '办理结果', key: 'note', width: 30 },
  ])
  for (const f of followups) {
    promised.addRow({
      text: f.text,
      household: f.household_id ? (hName.get(f.household_id) ?? '') : '',
      owner: names.get(f.owner_id) ?? '',
      due: cellDay(f.due_on),
      state: f.closed_at ? '已办结' : f.due_on < today ? '已逾期' : '办理中',
      note: f.close_note,
    })
  }
  wrapColumns(cards, ['address', 'situation', 'needs'])
  wrapColumns(records, ['findings', 'problems'])
  wrapColumns(promised, ['text', 'note'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
