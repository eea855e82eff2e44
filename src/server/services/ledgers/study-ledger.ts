import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { STUDY_KIND_LABELS } from '../../../core/domain/study-kinds.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { byPinyin } from '../../../core/domain/order.ts'
import { cellDay, titledSheet, wrapColumns } from './workbook.ts'

/**
 * 学习台账 of one branch and year, from what members recorded: every record per member (date,
 * kind, content, minutes), each member's totals per month, and per month who recorded nothing.
 * A ledger for the secretary, never a ranking: people are listed by name, with no percentages.
 */
export async function studyWorkbook(db: Kysely<Database>, orgId: string, branchId: string, year: number, unit: string): Promise<Buffer> {
  const records = await db
    .selectFrom('study_records')
    .select(['owner_id', 'date', 'kind', 'title', 'minutes', 'notes'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('deleted', '=', 0)
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute()
  const branch = await db.selectFrom('branches').select('started_on').where('id', '=', branchId).executeTakeFirst()
  const members = await db
    .selectFrom('users')
    .select(['id', 'name', 'created_at'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('removed_at', 'is', null)
    .execute()
  const ownerIds = new Set(records.map((r) => r.owner_id))
  const former = ownerIds.size
    ? await db
        .selectFrom('users')
        .select(['id', 'name', 'created_at'])
        .where('id', 'in', [...ownerIds])
        .execute()
    : []
  const people = [...new Map([...members, ...former].map((u) => [u.id, u])).values()].sort(
    (a, b) => byPinyin(a.name, b.name) || a.id.localeCompare(b.id),
  )
  const current = new Set(members.map((m) => m.id))

  // Months to account for: the whole year, or up to this month; never before the branch or the person started.
  const today = chinaToday(new Date())
  const lastMonth = year < Number(today.slice(0, 4)) ? 12 : year > Number(today.slice(0, 4)) ? 0 : Number(today.slice(5, 7))
  const months = Array.from({ length: lastMonth }, (_, i) => i + 1)
  const monthKey = (m: number) => `${year}-${String(m).padStart(2, '0')}`
  const firstMonth = (createdAt: string) => [branch?.started_on ?? '', chinaToday(new Date(createdAt))].sort().at(-1)?.slice(0, 7) ?? ''

  const wb = new ExcelJS.Workbook()
  wb.creator = '党建随行'
  wb.title = `${unit}${year}年学习台账`

  const list = titledSheet(wb, '学习记录', `${unit}${year}年学习台账（学习记录）`, [
    { header: '姓名', key: 'name', width: 10 },
    { header: '日期', key: 'date', width: 12, date: 'day' },
    { header: '类型', key: 'kind', width: 12 },
    { header: '学习内容', key: 'title', width: 44 },
    { header: '时长（分钟）', key: 'minutes', width: 10 },
    { header: '心得体会', key: 'notes', width: 50 },
  ])
  for (const p of people) {
    for (const r of records.filter((x) => x.owner_id === p.id)) {
      list.addRow({
        name: p.name,
        date: cellDay(r.date),
        kind: STUDY_KIND_LABELS[r.kind] ?? r.kind,
        title: r.title,
        minutes: Number(r.minutes),
        notes: r.notes,
      })
    }
  }
  wrapColumns(list, ['title', 'notes'])

  const totals = titledSheet(wb, '月度汇总', `${unit}${year}年学习台账（每月学习次数与时长）`, [
    { header: '姓名', key: 'name', width: 10 },
    ...Array.from({ length: 12 }, (_, i) => ({ header: `${i + 1}月`, key: `m${i + 1}`, width: 11 })),
    { header: '全年', key: 'year', width: 12 },
  ])
  const cell = (n: number, minutes: number) => (n === 0 ? '' : `${n}次 ${minutes}分钟`)
  for (const p of people) {
    const mine = records.filter((x) => x.owner_id === p.id)
    const row: Record<string, string> = { name: p.name }
    for (let m = 1; m <= 12; m++) {
      const inMonth = mine.filter((x) => x.date.startsWith(monthKey(m)))
      row[`m${m}`] = cell(
        inMonth.length,
        inMonth.reduce((t, x) => t + Number(x.minutes), 0),
      )
    }
    row.year = cell(
      mine.length,
      mine.reduce((t, x) => t + Number(x.minutes), 0),
    )
    totals.addRow(row)
  }

  const gaps = titledSheet(wb, '未记录', `${unit}${year}年学习台账（当月没有学习记录的党员）`, [
    { header: '月份', key: 'month', width: 10 },
    { header: '人数', key: 'count', width: 8 },
    { header: '当月没有学习记录的党员', key: 'names', width: 90 },
  ])
  for (const m of months) {
    const key = monthKey(m)
    const none = people.filter(
      (p) => current.has(p.id) && firstMonth(p.created_at) <= key && !records.some((x) => x.owner_id === p.id && x.date.startsWith(key)),
    )
    gaps.addRow({ month: `${m}月`, count: none.length, names: none.length ? none.map((p) => p.name).join('、') : '（无）' })
  }
  wrapColumns(gaps, ['names'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
