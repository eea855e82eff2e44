import { describe, expect, it } from 'vitest'
import type { DuesPayment, DuesProfile, UserProfile } from '../../../core/schemas/entities.ts'
import { arrearsChoices, branchMonth, branchTotals, quarterFor, receiptMonthFen, yearLines } from './dues-view.ts'

const profile = (memberId: string, fromMonth: string, baseFen = 400000): DuesProfile => ({
  id: memberId,
  orgId: 'o',
  branchId: 'b',
  memberId,
  category: 'in_service',
  baseFen,
  fromMonth,
  checkedOn: '2026-01-05',
  declaredBy: memberId,
  updatedAt: '',
})
const receipt = (memberId: string, months: string[], deleted = false): DuesPayment => ({
  id: `${memberId}-${months.join()}`,
  orgId: 'o',
  branchId: 'b',
  memberId,
  kind: months.length ? 'monthly' : 'special',
  months,
  amountFen: 4000,
  method: 'cash',
  receivedOn: '2026-11-10',
  notes: '',
  createdAt: '',
  category: 'in_service',
  baseFen: 400000,
  monthlyFen: 4000,
  collectorId: 'c',
  receiptNo: 'DF',
  updatedAt: '',
  deleted,
})
const user = (id: string, name: string): UserProfile => ({
  id,
  orgId: 'o',
  branchId: 'b',
  name,
  role: 'member',
  removed: false,
  joinedPartyOn: null,
  fullMemberOn: null,
})

describe('党费 as the pages show it', () => {
  it("a member's year: from the first owed month, paid months with their receipt, voided receipts ignored", () => {
    const lines = yearLines(profile('a', '2026-09'), [receipt('a', ['2026-10']), receipt('a', ['2026-09'], true)], 'a', 2026, '2026-11')
    expect(lines.map((l) => [l.month, l.dueFen, !!l.receipt])).toEqual([
      ['2026-09', 4000, false],
      ['2026-10', 4000, true],
      ['2026-11', 4000, false],
    ])
  })
  it('补交 choices: unpaid months before this one, at most 6 back', () => {
    expect(arrearsChoices(profile('a', '2025-01'), [receipt('a', ['2026-08'])], 'a', '2026-11')).toEqual([
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-09',
      '2026-10',
    ])
    expect(arrearsChoices(undefined, [], 'a', '2026-11')).toEqual([])
  })
  it('按季 covers the quarter from the first owed month', () => {
    expect(quarterFor(profile('a', '2026-11'), '2026-11')).toEqual(['2026-11', '2026-12'])
  })
  it("the branch's month: due, paid, unpaid; those not yet owing or undeclared are not counted", () => {
    const lines = branchMonth(
      [user('a', '张三'), user('b', '李四'), user('c', '王五'), user('d', '赵六')],
      [profile('a', '2026-01'), profile('b', '2026-01', 600000), profile('d', '2026-12')],
      [receipt('a', ['2026-11']), receipt('b', [])],
      '2026-11',
    )
    expect(lines.map((l) => [l.member.name, l.dueFen, !!l.receipt])).toEqual([
      ['张三', 4000, true],
      ['李四', 9000, false],
      ['王五', null, false],
      ['赵六', null, false],
    ])
    expect(branchTotals(lines)).toEqual({ dueFen: 13000, paidFen: 4000, paid: 1, unpaid: 1, undeclared: 1 })
    // 按季 is offered only while none of the quarter is paid.
    expect(lines.map((l) => l.quarter)).toEqual([[], ['2026-10', '2026-11', '2026-12'], [], ['2026-12']])
  })

  it('a paid month shows what its receipt recorded, not a recomputation from a new base', () => {
    // Paid at base 4200 (¥42.00 a month, one month and a 按季 receipt), then the base declared anew as 5200.
    const at4200 = (memberId: string, months: string[], kind: DuesPayment['kind']): DuesPayment => ({
      ...receipt(memberId, months),
      id: `${memberId}-${months.join()}`,
      kind,
      amountFen: 4200 * months.length,
      baseFen: 420000,
      monthlyFen: 4200,
    })
    const paid = [at4200('a', ['2026-07', '2026-08', '2026-09'], 'quarterly'), at4200('a', ['2026-10'], 'monthly')]
    const now = profile('a', '2026-07', 520000)
    const lines = yearLines(now, paid, 'a', 2026, '2026-11')
    expect(lines.map((l) => [l.month, l.dueFen, !!l.receipt])).toEqual([
      ['2026-07', 4200, true],
      ['2026-08', 4200, true],
      ['2026-09', 4200, true],
      ['2026-10', 4200, true],
      ['2026-11', 7800, false],
    ])
    const branch = branchMonth([user('a', '张三'), user('b', '李四')], [now, profile('b', '2026-01', 520000)], paid, '2026-10')
    expect(branch.map((l) => l.dueFen)).toEqual([4200, 7800])
    expect(branchTotals(branch)).toEqual({ dueFen: 12000, paidFen: 4200, paid: 1, unpaid: 1, undeclared: 0 })
  })
  it('a receipt without a per-month amount shares its amount over its months', () => {
    const r = { ...receipt('a', ['2026-09', '2026-10']), amountFen: 8400, monthlyFen: null }
    expect(receiptMonthFen(r)).toBe(4200)
  })
})
