import { describe, expect, it } from 'vitest'
import type { DuesPayment, DuesProfile, UserProfile } from '../../../core/schemas/entities.ts'
import { arrearsChoices, branchMonth, branchTotals, quarterFor, yearLines } from './dues-view.ts'

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
    expect(branchTotals(lines)).toEqual({ dueFen: 13000, paidFen: 4000, paid: 1, unpaid: 1 })
    // 按季 is offered only while none of the quarter is paid.
    expect(lines.map((l) => l.quarter)).toEqual([[], ['2026-10', '2026-11', '2026-12'], [], ['2026-12']])
  })
})
