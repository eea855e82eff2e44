import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { YearReport, YearSection } from '../../../core/contracts/year-report.ts'
import { organizationRules } from '../../repositories/organization.ts'
import { orgRules } from '../meeting-rules.ts'
import { meetingsSections } from './meetings-section.ts'
import { rectifySection, reviewSection, talksSection, visitsSection } from './branch-sections.ts'
import { duesSection, trainingSection } from './duty-sections.ts'
import { sortOrgUnits } from '../../../core/domain/order.ts'
import { titledSheet, wrapColumns } from '../ledgers/workbook.ts'

/**
 * 述职评议 pack (the year's-end issue, item 6): a branch's year — meetings held against the rules
 * with citations, attendance and 补学, talks, the review, 整改, 学时, 党费, visits and promised actions — or the
 * organ's roll-up (the leadership's own meetings, then each branch's year in the branches' order),
 * generated from what was recorded. Facts only: no scores, no ranking, no usage figures.
 */
export async function branchYear(db: Kysely<Database>, orgId: string, branchId: string, year: number, now: Date): Promise<YearSection[]> {
  const org = orgRules(await organizationRules(db, orgId))
  const branch = await db.selectFrom('branches').select(['started_on']).where('id', '=', branchId).executeTakeFirst()
  const since =
    [org.startedOn, branch?.started_on ?? null]
      .filter((d): d is string => typeof d === 'string')
      .sort()
      .at(-1) ?? null
  return [
    ...(await meetingsSections(db, orgId, branchId, year, org.rules, since, now)),
    await talksSection(db, orgId, branchId, year, now),
    await reviewSection(db, orgId, branchId, year, now),
    await rectifySection(db, orgId, branchId, year, now),
    await trainingSection(db, orgId, branchId, year),
    await duesSection(db, orgId, branchId, year),
    await visitsSection(db, orgId, branchId, year, now),
  ]
}

export async function yearReport(
  db: Kysely<Database>,
  orgId: string,
  scope: { branchId: string; name: string } | { org: string },
  year: number,
  now = new Date(),
): Promise<YearReport> {
  const generatedAt = now.toISOString()
  if ('branchId' in scope) {
    return {
      title: `${scope.name}${year}年度党建工作述职评议材料`,
      year,
      generatedAt,
      sections: await branchYear(db, orgId, scope.branchId, year, now),
    }
  }
  const org = orgRules(await organizationRules(db, orgId))
  const leadership = (await meetingsSections(db, orgId, null, year, org.rules, org.startedOn, now)).map((s) => ({
    ...s,
    title: `机关党委（领导班子）· ${s.title}`,
  }))
  const branches = sortOrgUnits(
    await db.selectFrom('branches').select(['id', 'name']).where('org_id', '=', orgId).where('archived', '=', 0).execute(),
  )
  const sections: YearSection[] = [...leadership]
  for (const b of branches)
    for (const s of await branchYear(db, orgId, b.id, year, now)) sections.push({ ...s, title: `${b.name} · ${s.title}` })
  return { title: `${scope.org}${year}年度党建工作情况（各党支部）`, year, generatedAt, sections }
}

/** The same facts as one printable sheet: a title row, then per section its facts (事项, 情况, 依据或说明). */
export async function yearReportWorkbook(report: YearReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const sheet = titledSheet(wb, '述职评议', report.title, [
    { header: '项目', key: 'section', width: 22 },
    { header: '事项', key: 'label', width: 18 },
    { header: '情况', key: 'value', width: 48 },
    { header: '依据或说明', key: 'note', width: 40 },
  ])
  for (const s of report.sections)
    for (const f of s.facts) sheet.addRow({ section: s.title, label: f.label, value: f.value, note: f.note ?? '' })
  wrapColumns(sheet, ['section', 'value', 'note'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
