import * as v from 'valibot'
import { newId } from '../../../core/ids.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { duesPaymentFields, duesProfileFields, type DuesPayment, type DuesProfile } from '../../../core/schemas/entities.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import {
  BASED_CATEGORIES,
  checkReceiptMonths,
  monthlyDue,
  monthLabel,
  receiptNumber,
  type DuesCategory,
  type DuesKind,
  type DuesMethod,
} from '../../../core/domain/dues-rules.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, ValidationError, writeRow } from '../../db/write.ts'
import { paidMonths } from './dues-view.ts'

export interface Declaration {
  category: DuesCategory
  baseFen: number | null
  fromMonth: string
  checkedOn: string
}

function check<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, value)
  if (!r.success) throw new ValidationError(issuesToMessage(r.issues, schema))
  return r.output
}

/** Declare (or re-check) a member's category and base: the member themself, or their 收缴员 / secretary from the payroll sheet. */
export async function declareDues(
  db: AccountDb,
  user: SessionUser,
  member: { id: string; branchId: string | null },
  d: Declaration,
): Promise<DuesProfile> {
  const based = BASED_CATEGORIES.includes(d.category)
  if (based && d.baseFen === null) throw new ValidationError('请填写党费基数（税后固定月收入或基本离退休费）')
  const fields = check(v.strictObject(duesProfileFields), { memberId: member.id, ...d, baseFen: based ? d.baseFen : null })
  const row: DuesProfile = {
    id: member.id,
    orgId: user.orgId,
    branchId: member.branchId,
    ...fields,
    declaredBy: user.id,
    updatedAt: new Date().toISOString(),
  }
  await writeRow(db, 'dues_profiles', row, fields)
  return row
}

export interface ReceiptInput {
  memberId: string
  branchId: string | null
  kind: DuesKind
  months: string[]
  method: DuesMethod
  receivedOn: string
  notes: string
  /** 特殊党费 only: the sum given. Otherwise the dues of the months by the declaration. */
  amountFen?: number
}

/**
 * Record a receipt on the 收缴员's phone, offline: the months checked by the rules, the amount
 * computed to the 分 from the member's declaration, a month already paid refused here as the
 * server would. The receipt number is the same on every phone and in the ledger.
 */
export async function recordReceipt(
  db: AccountDb,
  user: SessionUser,
  profile: DuesProfile | undefined,
  input: ReceiptInput,
): Promise<DuesPayment> {
  const months = [...input.months].sort()
  const problem = checkReceiptMonths(input.kind, months, input.receivedOn, input.kind === 'special' ? null : (profile?.fromMonth ?? null))
  if (problem) throw new ValidationError(problem)
  if (input.memberId === user.id) throw new ValidationError('本人的党费请交给支部其他收缴员或书记登记')
  const payments = await db.dues_payments.where('memberId').equals(input.memberId).toArray()
  const paid = paidMonths(payments, input.memberId)
  const twice = months.find((m) => paid.has(m))
  if (twice) throw new ValidationError(`${monthLabel(twice)}的党费已登记（收据 ${paid.get(twice)?.receiptNo ?? ''}）`)
  const dues = input.kind === 'special' || !profile ? [] : months.map((m) => monthlyDue(profile.category, profile.baseFen, m).dueFen)
  const amountFen = input.kind === 'special' ? (input.amountFen ?? 0) : dues.reduce((a, b) => a + b, 0)
  const createdAt = new Date().toISOString()
  const fields = check(v.strictObject(duesPaymentFields), {
    memberId: input.memberId,
    kind: input.kind,
    months,
    amountFen,
    method: input.method,
    receivedOn: input.receivedOn,
    notes: input.notes.trim(),
    createdAt,
  })
  const id = newId()
  const special = input.kind === 'special' || !profile
  const row: DuesPayment = {
    id,
    orgId: user.orgId,
    branchId: input.branchId,
    ...fields,
    category: special ? null : profile.category,
    baseFen: special ? null : profile.baseFen,
    monthlyFen: special ? null : (dues[0] ?? null),
    collectorId: user.id,
    receiptNo: receiptNumber(id, input.receivedOn),
    updatedAt: createdAt,
    deleted: false,
  }
  await writeRow(db, 'dues_payments', row, fields)
  return row
}

/** Void a mistaken receipt (the 收缴员 or secretary); it is recorded again if need be. */
export async function voidReceipt(db: AccountDb, id: string): Promise<void> {
  await deleteRow(db, 'dues_payments', id)
}
