import * as v from 'valibot'
import type { Kysely, Selectable } from 'kysely'
import type { Database, DuesPaymentTable } from '../../db/schema.ts'
import { duesPaymentFields, type DuesPayment } from '../../../core/schemas/entities.ts'
import { checkReceiptMonths, DUES_KIND_LABELS, formatFen, monthlyDue, monthLabel, receiptNumber } from '../../../core/domain/dues-rules.ts'
import { appendAudit } from '../../repositories/audit-log.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { parse, writableTable, type Apply, type Scope } from '../table-module.ts'
import { duesRecords } from './scopes.ts'
import { duesMember, recordsReceiptsFor } from './dues.ts'

/** 党费 receipts: the member, their branch's 收缴员 and secretary, administrators. */
export function duesPaymentScope(v: Viewer): Scope<'dues_payments'> {
  return duesRecords(v)
}

export function duesPaymentToWire(r: Selectable<DuesPaymentTable>): DuesPayment {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    memberId: r.member_id,
    kind: r.kind,
    months: JSON.parse(r.months) as string[],
    amountFen: Number(r.amount_fen),
    method: r.method,
    receivedOn: r.received_on,
    notes: r.notes,
    createdAt: r.created_at,
    category: r.category,
    baseFen: r.base_fen === null ? null : Number(r.base_fen),
    monthlyFen: r.monthly_fen === null ? null : Number(r.monthly_fen),
    collectorId: r.collector_id,
    receiptNo: r.receipt_no,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const NewReceipt = v.strictObject(duesPaymentFields)

/**
 * A receipt: recorded by the member's branch's 收缴员 or, as a backup, its secretary; never for
 * themselves, never edited (a mistaken one is voided by them and recorded again).
 *
 * - The payer is always the member: the receipt has no payer field and the only methods are 现金
 *   and 转账 from the member (不得垫交或扣缴); anything else is refused as an unknown field or value.
 * - The months follow the rules (core checkReceiptMonths: 按月, 按季, 补交 ≤ 6 months, 特殊党费 none)
 *   and the amount must equal the dues the member's declaration gives for them, to the 分.
 * - A member-month is paid once: a second receipt covering it (two phones of the 收缴员 recording
 *   the same payment offline, say) is refused, and the primary key of dues_paid_months holds it
 *   even against a concurrent transaction. 特殊党费 covers no month and may be given any number of times.
 */
export const applyDuesPaymentMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('dues_payments').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    if (!(await recordsReceiptsFor(trx, viewer, existing.branch_id)))
      throw new HttpError(403, 'forbidden', '收据只能由本支部收缴员或书记作废')
    await trx.updateTable('dues_payments').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    await trx.deleteFrom('dues_paid_months').where('payment_id', '=', m.rowId).execute()
    await auditReceipt(
      trx,
      viewer,
      'dues_void',
      existing.member_id,
      `作废党费收据 ${existing.receipt_no}（${formatFen(Number(existing.amount_fen))}）`,
    )
    seqs.mark('dues_payments', m.rowId)
    return
  }
  if (existing) throw new HttpError(409, 'conflict', '收据已登记，不能修改；如有错误请作废后重新登记')
  const f = parse(NewReceipt, m.fields ?? {})
  const member = await duesMember(trx, viewer, f.memberId)
  if (!(await recordsReceiptsFor(trx, viewer, member.branch_id)))
    throw new HttpError(403, 'forbidden', '党费由本支部收缴员（或书记）收取登记')
  if (member.id === viewer.id) throw new HttpError(403, 'forbidden', '本人的党费请交给支部其他收缴员或书记登记')
  if (f.receivedOn > chinaToday(new Date())) throw new HttpError(422, 'validation', '收款日期不能晚于今天')
  const months = [...f.months].sort()
  let priced: { category: DuesPaymentTable['category']; base: number | null; monthly: number | null } = {
    category: null,
    base: null,
    monthly: null,
  }
  if (f.kind === 'special') {
    const problem = checkReceiptMonths('special', months, f.receivedOn, null)
    if (problem) throw new HttpError(422, 'validation', problem)
  } else {
    const profile = await trx.selectFrom('dues_profiles').selectAll().where('id', '=', member.id).executeTakeFirst()
    if (!profile) throw new HttpError(422, 'validation', `${member.name}尚未申报党费类别和基数，请先申报`)
    const problem = checkReceiptMonths(f.kind, months, f.receivedOn, profile.from_month)
    if (problem) throw new HttpError(422, 'validation', problem)
    const base = profile.base_fen === null ? null : Number(profile.base_fen)
    const dues = months.map((mo) => monthlyDue(profile.category, base, mo).dueFen)
    const total = dues.reduce((a, b) => a + b, 0)
    if (total !== f.amountFen)
      throw new HttpError(
        409,
        'conflict',
        `按申报的类别和基数，${months.map(monthLabel).join('、')}应交${formatFen(total)}，收据金额为${formatFen(f.amountFen)}`,
      )
    const paid = await trx
      .selectFrom('dues_paid_months')
      .innerJoin('dues_payments', 'dues_payments.id', 'dues_paid_months.payment_id')
      .select(['dues_paid_months.month', 'dues_payments.receipt_no'])
      .where('dues_paid_months.member_id', '=', member.id)
      .where('dues_paid_months.month', 'in', months)
      .executeTakeFirst()
    if (paid)
      throw new HttpError(409, 'conflict', `${member.name}${monthLabel(paid.month)}的党费已登记（收据 ${paid.receipt_no}），不能重复收取`)
    priced = { category: profile.category, base, monthly: dues[0] ?? null }
  }
  const now = nowIso()
  await trx
    .insertInto('dues_payments')
    .values({
      id: m.rowId,
      org_id: viewer.orgId,
      branch_id: member.branch_id,
      member_id: member.id,
      kind: f.kind,
      months: JSON.stringify(months),
      amount_fen: f.amountFen,
      method: f.method,
      category: priced.category,
      base_fen: priced.base,
      monthly_fen: priced.monthly,
      collector_id: viewer.id,
      received_on: f.receivedOn,
      receipt_no: receiptNumber(m.rowId, f.receivedOn),
      notes: f.notes,
      created_at: f.createdAt,
      updated_at: now,
      deleted: 0,
      seq: 0,
    })
    .execute()
  if (months.length)
    await trx
      .insertInto('dues_paid_months')
      .values(months.map((month) => ({ member_id: member.id, month, payment_id: m.rowId })))
      .execute()
  const what = f.kind === 'special' ? DUES_KIND_LABELS.special : `${DUES_KIND_LABELS[f.kind]} ${months.map(monthLabel).join('、')}`
  await auditReceipt(
    trx,
    viewer,
    'dues_receipt',
    member.id,
    `${member.name}：${what} ${formatFen(f.amountFen)}（${f.method === 'cash' ? '现金' : '转账'}，收据 ${receiptNumber(m.rowId, f.receivedOn)}）`,
  )
  seqs.mark('dues_payments', m.rowId)
}

/** 操作日志: who took or voided which money, from which device (the push's origin), in the write's own transaction. */
async function auditReceipt(
  trx: Kysely<Database>,
  viewer: Viewer,
  action: 'dues_receipt' | 'dues_void',
  memberId: string,
  summary: string,
) {
  await appendAudit(trx, {
    orgId: viewer.orgId,
    actorId: viewer.id,
    action,
    targetId: memberId,
    summary,
    device: viewer.origin?.device ?? '',
    ip: viewer.origin?.ip ?? '',
  })
}

export const duesPayments = writableTable({
  table: 'dues_payments',
  read: (db, viewer) => db.selectFrom('dues_payments').selectAll().where(duesPaymentScope(viewer)),
  toWire: (rows) => rows.map(duesPaymentToWire),
  apply: applyDuesPaymentMutation,
})
