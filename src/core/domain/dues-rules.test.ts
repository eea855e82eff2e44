import { describe, expect, it } from 'vitest'
import { newId } from '../ids.ts'
import {
  addMonths,
  checkReceiptMonths,
  consecutiveMonthsUnpaid,
  firstOwedMonth,
  formatFen,
  monthlyDue,
  monthsUnpaid,
  needsBaseCheck,
  parseYuan,
  percentOf,
  quarterMonths,
  receiptNumber,
  ruleSetFor,
  DUES_RULE_SETS,
  type DuesRuleSet,
} from './dues-rules.ts'

const due = (yuan: string, category: 'in_service' | 'retired' = 'in_service') => monthlyDue(category, parseYuan(yuan), '2026-03')

describe('党费 rates (one rate on the whole base, rounded half up to the 分)', () => {
  it('in service: every bracket edge', () => {
    expect(due('3000')).toMatchObject({ rateBp: 50, dueFen: 1500 })
    expect(due('3000.01')).toMatchObject({ rateBp: 100, dueFen: 3000 }) // 30.0001 → 30.00
    expect(due('5000')).toMatchObject({ rateBp: 100, dueFen: 5000 })
    expect(due('5000.01')).toMatchObject({ rateBp: 150, dueFen: 7500 }) // 75.00015 → 75.00
    expect(due('10000')).toMatchObject({ rateBp: 150, dueFen: 15000 })
    expect(due('10000.01')).toMatchObject({ rateBp: 200, dueFen: 20000 }) // 200.0002 → 200.00
    expect(due('0')).toMatchObject({ rateBp: 50, dueFen: 0 })
  })
  it('is not progressive: 6000 元 pays 1.5% of all of it', () => {
    expect(due('6000').dueFen).toBe(9000)
  })
  it('retired: ≤5000 0.5%, above 1%', () => {
    expect(due('5000', 'retired')).toMatchObject({ rateBp: 50, dueFen: 2500 })
    expect(due('5000.01', 'retired')).toMatchObject({ rateBp: 100, dueFen: 5000 })
  })
  it('fixed sums: students, the unemployed, 低保 0.2 元; farmers 0.5 元', () => {
    expect(monthlyDue('student', null, '2026-03')).toMatchObject({ dueFen: 20, rateBp: null })
    expect(monthlyDue('farmer', 123456, '2026-03')).toMatchObject({ dueFen: 50, rateBp: null })
  })
  it('rounds half up to the 分', () => {
    expect(percentOf(455050, 100)).toBe(4551) // 45.505 → 45.51
    expect(percentOf(455049, 100)).toBe(4550) // 45.5049 → 45.50
    expect(percentOf(100, 50)).toBe(1) // 0.005 → 0.01
    expect(percentOf(99, 50)).toBe(0) // 0.00495 → 0.00
  })
  it('cites the rule and its source', () => {
    const d = due('4000')
    expect(d.source).toContain('关于中国共产党党费收缴、使用和管理的规定')
    expect(d.rule).toContain('第1条')
  })
  it('a revision is data: months from its effective date use it, earlier ones the old set', () => {
    const base = DUES_RULE_SETS[0] as DuesRuleSet
    const revised: DuesRuleSet = { ...base, id: 'test-2030', effectiveFrom: '2030-01', fixed: { ...base.fixed, student: 30 } }
    const sets = [base, revised]
    expect(ruleSetFor('2029-12', sets).id).toBe('zzb-2008')
    expect(monthlyDue('student', null, '2029-12', sets).dueFen).toBe(20)
    expect(monthlyDue('student', null, '2030-01', sets).dueFen).toBe(30)
  })
})

describe('amounts', () => {
  it('parses 元 to 分 exactly and formats back', () => {
    expect(parseYuan('3000.01')).toBe(300001)
    expect(parseYuan('12.5')).toBe(1250)
    expect(parseYuan('12.345')).toBeNull()
    expect(parseYuan('-1')).toBeNull()
    expect(formatFen(1505)).toBe('¥15.05')
    expect(formatFen(20)).toBe('¥0.20')
  })
})

describe('months', () => {
  it('adds across years and names quarters', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2026-11', 3)).toBe('2027-02')
    expect(quarterMonths('2026-05')).toEqual(['2026-04', '2026-05', '2026-06'])
  })
  it('预备党员 owe from the month the 支部大会 admits them', () => {
    expect(firstOwedMonth('2026-05-20', '2026-01')).toBe('2026-05')
    expect(firstOwedMonth('2019-05-20', '2026-01')).toBe('2026-01')
    expect(firstOwedMonth(null, '2026-01')).toBe('2026-01')
  })
  it('months unpaid and the run of unpaid months for the six-month watch', () => {
    expect(monthsUnpaid('2026-01', ['2026-02'], '2026-04')).toEqual(['2026-01', '2026-03', '2026-04'])
    expect(monthsUnpaid(null, [], '2026-04')).toEqual([])
    // The current month is not late yet: on 2026-11-15, April to October unpaid is 7 months.
    expect(consecutiveMonthsUnpaid('2026-01', ['2026-01', '2026-02', '2026-03'], '2026-11-15')).toBe(7)
    expect(consecutiveMonthsUnpaid('2026-01', ['2026-10'], '2026-11-15')).toBe(0)
    expect(consecutiveMonthsUnpaid('2026-09', [], '2026-11-15')).toBe(2)
  })
})

describe('what a receipt may cover', () => {
  const from = '2025-01'
  it('按月: the month received', () => {
    expect(checkReceiptMonths('monthly', ['2026-03'], '2026-03-10', from)).toBeNull()
    expect(checkReceiptMonths('monthly', ['2026-02'], '2026-03-10', from)).toMatch(/收款当月/)
    expect(checkReceiptMonths('monthly', ['2026-03', '2026-04'], '2026-03-10', from)).not.toBeNull()
  })
  it('按季: the quarter received, from the first owed month', () => {
    expect(checkReceiptMonths('quarterly', ['2026-04', '2026-05', '2026-06'], '2026-04-08', from)).toBeNull()
    expect(checkReceiptMonths('quarterly', ['2026-06', '2026-04', '2026-05'], '2026-05-08', from)).toBeNull()
    expect(checkReceiptMonths('quarterly', ['2026-04', '2026-05'], '2026-04-08', from)).toMatch(/本季度/)
    expect(checkReceiptMonths('quarterly', ['2026-07', '2026-08', '2026-09'], '2026-04-08', from)).not.toBeNull()
    // Admitted in May: the quarter is May and June.
    expect(checkReceiptMonths('quarterly', ['2026-05', '2026-06'], '2026-05-20', '2026-05')).toBeNull()
  })
  it('补交: at most 6 months back; the 7th is refused', () => {
    const six = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']
    expect(checkReceiptMonths('arrears', six, '2026-11-05', from)).toBeNull()
    expect(checkReceiptMonths('arrears', ['2026-04'], '2026-11-05', from)).toMatch(/超过6个月/)
    expect(checkReceiptMonths('arrears', ['2026-11'], '2026-11-05', from)).toMatch(/之前/)
    expect(checkReceiptMonths('arrears', ['2026-10', '2026-10'], '2026-11-05', from)).toMatch(/重复/)
    expect(checkReceiptMonths('arrears', ['2025-12'], '2026-01-05', '2026-01')).toMatch(/早于/)
  })
  it('特殊党费 covers no month', () => {
    expect(checkReceiptMonths('special', [], '2026-07-01', null)).toBeNull()
    expect(checkReceiptMonths('special', ['2026-07'], '2026-07-01', from)).not.toBeNull()
  })
  it('needs a declaration first', () => {
    expect(checkReceiptMonths('monthly', ['2026-03'], '2026-03-10', null)).toMatch(/申报/)
  })
})

describe('receipts and the yearly check', () => {
  it('the receipt number is the same wherever it is computed', () => {
    expect(receiptNumber('019ad1a2-2b3c-7000-8000-00009f2c41d7', '2026-03-15')).toBe('DF20260315-9F2C41D7')
    // Receipts recorded in the same millisecond (UUIDv7 ids sharing their time) still differ.
    const ids = Array.from({ length: 200 }, () => newId())
    expect(new Set(ids.map((id) => receiptNumber(id, '2026-03-15'))).size).toBe(200)
  })
  it('asks in January, and 12 months after the last check', () => {
    expect(needsBaseCheck('in_service', '2025-12-20', '2026-01-03')).toBe(true)
    expect(needsBaseCheck('in_service', '2026-01-02', '2026-01-03')).toBe(false)
    expect(needsBaseCheck('in_service', '2025-03-01', '2026-03-01')).toBe(true)
    expect(needsBaseCheck('in_service', '2025-04-01', '2026-03-01')).toBe(false)
    expect(needsBaseCheck('student', '2020-01-01', '2026-01-03')).toBe(false)
  })
})
