import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { byPinyin } from '../../../core/domain/order.ts'
import { MEETING_TYPE_LABELS } from '../../../core/domain/meetings.ts'
import { TRAINING_SOURCE_LABELS, hoursOf, trainingRulesOn, trainingYear } from '../../../core/domain/training.ts'
import { flagsIn, trainingFlagsOf, trainingRecordsOf, trainingSettingsOf } from '../training/training-data.ts'
import { cellDay, titledSheet, wrapColumns } from './workbook.ts'

/**
 * 学时台账 of one branch and year, counted from the records (core/domain/training.ts): per member
 * each counted item (date, source, minutes, 学时), then per member the total, the requirement and
 * the flags (干部, 年老体弱/患病: 不作硬性要求). People by name; no ranking, no percentages.
 */
export async function trainingWorkbook(db: Kysely<Database>, orgId: string, branchId: string, year: number, unit: string): Promise<Buffer> {
  const { settings } = await trainingSettingsOf(db, orgId)
  const members = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('removed_at', 'is', null)
    .execute()
  const people = members.sort((a, b) => byPinyin(a.name, b.name) || a.id.localeCompare(b.id))
  const ids = people.map((p) => p.id)
  const records = await trainingRecordsOf(db, orgId, ids, `${year}-01-01`, `${year}-12-31`)
  const flags = await trainingFlagsOf(db, orgId, ids)
  const rules = trainingRulesOn(`${year}-12-31`)

  const wb = new ExcelJS.Workbook()
  wb.creator = '党建随行'
  wb.title = `${unit}${year}年学时台账`
  const per = settings.minutesPerHour
  const list = titledSheet(wb, '学时明细', `${unit}${year}年学时台账（每学时${per}分钟）`, [
    { header: '姓名', key: 'name', width: 10 },
    { header: '日期', key: 'date', width: 12, date: 'day' },
    { header: '来源', key: 'source', width: 10 },
    { header: '内容', key: 'title', width: 40 },
    { header: '说明', key: 'detail', width: 24 },
    { header: '时长（分钟）', key: 'minutes', width: 12 },
    { header: '学时', key: 'hours', width: 8 },
  ])
  const totals = titledSheet(wb, '学时汇总', `${unit}${year}年学时汇总`, [
    { header: '姓名', key: 'name', width: 10 },
    { header: '时长（分钟）', key: 'minutes', width: 12 },
    { header: '学时', key: 'hours', width: 8 },
    { header: '年度要求（学时）', key: 'required', width: 16 },
    { header: '尚差（学时）', key: 'short', width: 12 },
    { header: '标记', key: 'flags', width: 30 },
  ])
  for (const p of people) {
    const f = flagsIn(flags, p.id)
    const y = trainingYear({ memberId: p.id, year, settings, ...records }, f)
    for (const item of y.items)
      list.addRow({
        name: p.name,
        date: cellDay(item.date),
        source: TRAINING_SOURCE_LABELS[item.source],
        title: item.title,
        detail: item.detail,
        minutes: item.minutes,
        hours: hoursOf(item.minutes, per),
      })
    totals.addRow({
      name: p.name,
      minutes: y.minutes,
      hours: y.hours,
      required: y.required ?? '不作硬性要求',
      short: y.required === null ? '' : y.short,
      flags: [f.cadre ? '乡科级及以下干部' : '', f.exempt ? '年老体弱或患有重病' : ''].filter(Boolean).join('、'),
    })
  }
  wrapColumns(list, ['title', 'detail'])
  const basis = titledSheet(wb, '计算依据', `${unit}${year}年学时计算依据`, [{ header: '依据', key: 'text', width: 110 }])
  for (const text of [
    `计入学时的会议类型：${settings.types.map((t) => MEETING_TYPE_LABELS[t]).join('、')}；每学时${per}分钟，按分钟合计后折算，保留一位小数（舍去）。`,
    '计入：上述会议出席（扫码签到晚于开始10分钟以上的，自签到时起计至会议结束）；经支部书记确认的补学（按该次会议时长计）；经支部书记确认的其他培训（党校、组织安排的网络培训等）。',
    '不计入：党员自行记录的学习（含学习强国等），以及在应用中停留的时间。',
    rules.memberCite,
    rules.cadreCite,
    rules.exemptCite,
  ])
    basis.addRow({ text })
  wrapColumns(basis, ['text'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
