import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import {
  DUES_CATEGORY_LABELS,
  DUES_KIND_LABELS,
  DUES_METHOD_LABELS,
  formatRate,
  monthLabel,
  monthlyDue,
  monthRange,
  monthOf,
  type DuesCategory,
} from '../../../core/domain/dues-rules.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { byPinyin } from '../../../core/domain/order.ts'
import { cellDay, titledSheet, wrapColumns } from './workbook.ts'

const yuan = (fen: number | null): number | null => (fen === null ? null : fen / 100)
const MONEY = '#,##0.00'

/** Each member-month of the year as the ledger lists it. */
export interface DuesLedgerLine {
  memberId: string
  name: string
  month: string
  category: DuesCategory | null
  baseFen: number | null
  rateBp: number | null
  dueFen: number | null
  paidFen: number | null
  receivedOn: string | null
  receiptNo: string | null
  kind: string | null
}

/**
 * The lines of a branch's 党费收缴台账 for one year: every member of the branch (and anyone who paid
 * to it that year) for every month they owed up to this month. A paid month shows what its receipt
 * was computed on; an unpaid one what the current declaration gives. 特殊党费 is returned apart.
 */
export async function duesLedgerLines(db: Kysely<Database>, orgId: string, branchId: string, year: number) {
  const today = chinaToday(new Date())
  const lastMonth = `${year}-12` < monthOf(today) ? `${year}-12` : monthOf(today)
  const members = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('removed_at', 'is', null)
    .execute()
  const payments = await db
    .selectFrom('dues_payments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('deleted', '=', 0)
    .execute()
  const payerIds = [...new Set(payments.map((p) => p.member_id))]
  const former = payerIds.length
    ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', payerIds).where('org_id', '=', orgId).execute()
    : []
  const people = [...new Map([...members, ...former].map((u) => [u.id, u])).values()].sort(
    (a, b) => byPinyin(a.name, b.name) || a.id.localeCompare(b.id),
  )
  const ids = people.map((p) => p.id)
  const profiles = ids.length ? await db.selectFrom('dues_profiles').selectAll().where('member_id', 'in', ids).execute() : []
  const current = new Set(members.map((m) => m.id))

  const lines: DuesLedgerLine[] = []
  for (const p of people) {
    const profile = profiles.find((x) => x.member_id === p.id)
    const paidBy = new Map<string, (typeof payments)[number]>()
    for (const pay of payments.filter((x) => x.member_id === p.id && x.kind !== 'special'))
      for (const m of JSON.parse(pay.months) as string[]) paidBy.set(m, pay)
    const owedFrom = profile && current.has(p.id) ? (profile.from_month > `${year}-01` ? profile.from_month : `${year}-01`) : null
    const months = new Set([
      ...(owedFrom ? monthRange(owedFrom, lastMonth) : []),
      ...[...paidBy.keys()].filter((m) => m.startsWith(`${year}-`)),
    ])
    if (!profile && months.size === 0 && current.has(p.id)) {
      lines.push({
        memberId: p.id,
        name: p.name,
        month: '',
        category: null,
        baseFen: null,
        rateBp: null,
        dueFen: null,
        paidFen: null,
        receivedOn: null,
        receiptNo: null,
        kind: null,
      })
      continue
    }
    for (const month of [...months].sort()) {
      const pay = paidBy.get(month)
      const category = pay?.category ?? profile?.category ?? null
      const baseFen = pay
        ? pay.base_fen === null
          ? null
          : Number(pay.base_fen)
        : profile?.base_fen === undefined || profile.base_fen === null
          ? null
          : Number(profile.base_fen)
      const due = category ? monthlyDue(category, baseFen, month) : null
      lines.push({
        memberId: p.id,
        name: p.name,
        month,
        category,
        baseFen,
        rateBp: due?.rateBp ?? null,
        dueFen: due?.dueFen ?? null,
        // What the receipt recorded for the month (a quarter's or 补交's receipt names its per-month amount).
        paidFen: pay ? (pay.monthly_fen === null ? (due?.dueFen ?? null) : Number(pay.monthly_fen)) : null,
        receivedOn: pay?.received_on ?? null,
        receiptNo: pay?.receipt_no ?? null,
        kind: pay ? DUES_KIND_LABELS[pay.kind] : null,
      })
    }
  }
  const special = payments
    .filter((x) => x.kind === 'special' && x.received_on.startsWith(`${year}-`))
    .sort((a, b) => a.received_on.localeCompare(b.received_on))
    .map((x) => ({
      name: people.find((p) => p.id === x.member_id)?.name ?? '',
      receivedOn: x.received_on,
      amountFen: Number(x.amount_fen),
      method: DUES_METHOD_LABELS[x.method],
      receiptNo: x.receipt_no,
      notes: x.notes,
    }))
  // Months paid ahead (a quarter paid in its first month) are counted in the month they cover.
  const lastListed = lines.reduce((last, l) => (l.month > last ? l.month : last), lastMonth)
  return { lines, special, months: monthRange(`${year}-01`, lastListed) }
}

/**
 * 党费收缴台账 of one branch and year as inspections read it: per member per month the base, the
 * rate, what was due and paid, when and on which receipt; the totals of every month and of the
 * year; 特殊党费 on a sheet of its own (never mixed into the monthly dues).
 */
export async function duesWorkbook(db: Kysely<Database>, orgId: string, branchId: string, year: number, unit: string): Promise<Buffer> {
  const { lines, special, months } = await duesLedgerLines(db, orgId, branchId, year)
  const wb = new ExcelJS.Workbook()
  wb.creator = '党建随行'
  wb.title = `${unit}${year}年党费收缴台账`

  const sheet = titledSheet(wb, '党费收缴', `${unit}${year}年党费收缴台账`, [
    { header: '姓名', key: 'name', width: 10 },
    { header: '月份', key: 'month', width: 11 },
    { header: '类别', key: 'category', width: 14 },
    { header: '基数（元）', key: 'base', width: 12 },
    { header: '比例', key: 'rate', width: 8 },
    { header: '应交（元）', key: 'due', width: 11 },
    { header: '实交（元）', key: 'paid', width: 11 },
    { header: '交纳方式', key: 'kind', width: 9 },
    { header: '交纳日期', key: 'date', width: 12, date: 'day' },
    { header: '收据号', key: 'receipt', width: 20 },
  ])
  for (const l of lines) {
    sheet.addRow({
      name: l.name,
      month: l.month ? monthLabel(l.month) : '未申报党费基数',
      category: l.category ? DUES_CATEGORY_LABELS[l.category] : '',
      base: yuan(l.baseFen),
      rate: l.category ? formatRate(l.rateBp) : '',
      due: yuan(l.dueFen),
      paid: l.month ? (yuan(l.paidFen) ?? '未交') : '',
      kind: l.kind ?? '',
      date: cellDay(l.receivedOn),
      receipt: l.receiptNo ?? '',
    })
  }
  for (const key of ['base', 'due', 'paid']) sheet.getColumn(key).numFmt = MONEY

  const totals = titledSheet(wb, '月度汇总', `${unit}${year}年党费收缴台账（月度与全年合计）`, [
    { header: '月份', key: 'month', width: 12 },
    { header: '应交合计（元）', key: 'due', width: 14 },
    { header: '实交合计（元）', key: 'paid', width: 14 },
    { header: '已交人数', key: 'paidPeople', width: 10 },
    { header: '未交人数', key: 'unpaidPeople', width: 10 },
    { header: '未交人员', key: 'unpaidNames', width: 50 },
  ])
  let yearDue = 0
  let yearPaid = 0
  for (const month of months) {
    const of = lines.filter((l) => l.month === month)
    const due = of.reduce((a, l) => a + (l.dueFen ?? 0), 0)
    const paid = of.reduce((a, l) => a + (l.paidFen ?? 0), 0)
    yearDue += due
    yearPaid += paid
    const unpaid = of.filter((l) => l.receiptNo === null)
    totals.addRow({
      month: monthLabel(month),
      due: yuan(due),
      paid: yuan(paid),
      paidPeople: of.length - unpaid.length,
      unpaidPeople: unpaid.length,
      unpaidNames: unpaid.map((l) => l.name).join('、'),
    })
  }
  const specialTotal = special.reduce((a, s) => a + s.amountFen, 0)
  totals.addRow({ month: '全年合计', due: yuan(yearDue), paid: yuan(yearPaid) }).font = { bold: true }
  totals.addRow({ month: '特殊党费（另列）', paid: yuan(specialTotal) })
  for (const key of ['due', 'paid']) totals.getColumn(key).numFmt = MONEY
  wrapColumns(totals, ['unpaidNames'])

  const sp = titledSheet(wb, '特殊党费', `${unit}${year}年特殊党费（单独列账）`, [
    { header: '姓名', key: 'name', width: 10 },
    { header: '交纳日期', key: 'date', width: 12, date: 'day' },
    { header: '金额（元）', key: 'amount', width: 12 },
    { header: '收款方式', key: 'method', width: 9 },
    { header: '收据号', key: 'receipt', width: 20 },
    { header: '备注', key: 'notes', width: 40 },
  ])
  for (const s of special)
    sp.addRow({
      name: s.name,
      date: cellDay(s.receivedOn),
      amount: yuan(s.amountFen),
      method: s.method,
      receipt: s.receiptNo,
      notes: s.notes,
    })
  sp.addRow({ name: '合计', amount: yuan(specialTotal) }).font = { bold: true }
  sp.getColumn('amount').numFmt = MONEY
  wrapColumns(sp, ['notes'])

  return Buffer.from(await wb.xlsx.writeBuffer())
}
