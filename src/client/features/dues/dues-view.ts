import type { DuesPayment, DuesProfile, UserProfile } from '../../../core/schemas/entities.ts'
import {
  addMonths,
  monthlyDue,
  monthRange,
  monthsUnpaid,
  quarterMonths,
  ruleSetFor,
  type MonthlyDue,
} from '../../../core/domain/dues-rules.ts'

/**
 * What the 党费 pages show, computed from the rows on the phone (pure: tested without IndexedDB).
 * Every amount is in 分 and comes from core's rules.
 */

/** Live receipts of one member, newest first. */
export function receiptsOf(payments: readonly DuesPayment[], memberId: string): DuesPayment[] {
  return payments
    .filter((p) => p.memberId === memberId && !p.deleted)
    .sort((a, b) => b.receivedOn.localeCompare(a.receivedOn) || b.createdAt.localeCompare(a.createdAt))
}

/** Each month a member has paid, with the receipt that covers it (特殊党费 covers none). */
export function paidMonths(payments: readonly DuesPayment[], memberId: string): Map<string, DuesPayment> {
  const out = new Map<string, DuesPayment>()
  for (const p of receiptsOf(payments, memberId)) for (const m of p.months) out.set(m, p)
  return out
}

/** The dues of one month by the member's declaration; null without one. */
export function dueFor(profile: DuesProfile | undefined, month: string): MonthlyDue | null {
  return profile ? monthlyDue(profile.category, profile.baseFen, month) : null
}

/**
 * What a receipt recorded for each month it covers: its monthlyFen (a quarter's or a 补交's
 * receipt names the per-month amount), else its amount shared over its months. Never recomputed
 * from today's declaration: a new base does not change what was paid.
 */
export function receiptMonthFen(receipt: DuesPayment): number {
  if (receipt.monthlyFen !== null) return receipt.monthlyFen
  return receipt.months.length ? Math.round(receipt.amountFen / receipt.months.length) : receipt.amountFen
}

export interface MonthLine {
  month: string
  /** Unpaid: by the current declaration. Paid: what the receipt recorded for the month. */
  dueFen: number
  receipt: DuesPayment | undefined
}

/** The member's months of a year they owe, up to `throughMonth`: what is due and which receipt paid it. */
export function yearLines(
  profile: DuesProfile | undefined,
  payments: readonly DuesPayment[],
  memberId: string,
  year: number,
  throughMonth: string,
): MonthLine[] {
  if (!profile) return []
  const from = profile.fromMonth > `${year}-01` ? profile.fromMonth : `${year}-01`
  const last = throughMonth < `${year}-12` ? throughMonth : `${year}-12`
  const paid = paidMonths(payments, memberId)
  return monthRange(from, last).map((month) => {
    const receipt = paid.get(month)
    return { month, dueFen: receipt ? receiptMonthFen(receipt) : (dueFor(profile, month)?.dueFen ?? 0), receipt }
  })
}

/** The months a 补交 may name now: unpaid, before this month, at most the rules' 6 months back. */
export function arrearsChoices(
  profile: DuesProfile | undefined,
  payments: readonly DuesPayment[],
  memberId: string,
  month: string,
): string[] {
  if (!profile) return []
  const earliest = addMonths(month, -ruleSetFor(month).arrearsMonths)
  const from = profile.fromMonth > earliest ? profile.fromMonth : earliest
  return monthsUnpaid(from, paidMonths(payments, memberId).keys(), addMonths(month, -1))
}

/** The months a 按季 receipt received in `month` covers for this member. */
export function quarterFor(profile: DuesProfile | undefined, month: string): string[] {
  if (!profile) return []
  return quarterMonths(month).filter((m) => m >= profile.fromMonth)
}

export interface BranchLine {
  member: UserProfile
  profile: DuesProfile | undefined
  /** Unpaid: by the current declaration (null when nothing is owed). Paid: what the receipt recorded for the month. */
  dueFen: number | null
  /** The receipt that covers the month, if paid. */
  receipt: DuesPayment | undefined
  /** Months before this one still unpaid (for 补交), at most 6 back. */
  arrears: string[]
  /** The quarter's months a 按季 receipt would cover; empty when one of them is paid already. */
  quarter: string[]
}

/** A branch's month for its 收缴员: each member, what is due, paid or not. By name, no ranking. */
export function branchMonth(
  members: readonly UserProfile[],
  profiles: readonly DuesProfile[],
  payments: readonly DuesPayment[],
  month: string,
): BranchLine[] {
  return members.map((member) => {
    const profile = profiles.find((p) => p.memberId === member.id)
    const owes = profile !== undefined && profile.fromMonth <= month
    const paid = paidMonths(payments, member.id)
    const quarter = quarterFor(profile, month)
    const receipt = paid.get(month)
    return {
      member,
      profile,
      dueFen: receipt ? receiptMonthFen(receipt) : owes ? (dueFor(profile, month)?.dueFen ?? null) : null,
      receipt,
      arrears: arrearsChoices(profile, payments, member.id, month),
      quarter: quarter.some((m) => paid.has(m)) ? [] : quarter,
    }
  })
}

/**
 * The month's totals: what is due, what was paid (as the receipts recorded it), how many paid, have
 * not, and have not declared a base yet (counts only).
 */
export function branchTotals(lines: readonly BranchLine[]): {
  dueFen: number
  paidFen: number
  paid: number
  unpaid: number
  undeclared: number
} {
  let dueFen = 0
  let paidFen = 0
  let paid = 0
  let unpaid = 0
  let undeclared = 0
  for (const l of lines) {
    if (!l.profile && !l.receipt) undeclared++
    if (l.dueFen === null) continue
    dueFen += l.dueFen
    if (l.receipt) {
      paid++
      paidFen += l.dueFen
    } else unpaid++
  }
  return { dueFen, paidFen, paid, unpaid, undeclared }
}
