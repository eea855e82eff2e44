/**
 * 党费 (Party dues): the rules as versioned data, and the arithmetic both ends share.
 *
 * Amounts are integers in 分 (1 元 = 100 分), never floating 元. A month is 'YYYY-MM' (China time).
 *
 * Rounding rule: the month's dues are base × rate rounded half up to the 分 — computed exactly in
 * integers as ⌊(base分 × rate万分比 + 5000) / 10000⌋ (e.g. 3000.01 元 at 1% is 30.0001 元 → 30.00 元;
 * 4550.50 元 at 1% is 45.505 元 → 45.51 元). One rate applies to the whole base (不是累进).
 *
 * A revision of the rules is a new entry of DUES_RULE_SETS with the month it takes effect; months
 * before it keep being computed with the set in force then.
 */

export const DUES_CATEGORIES = ['in_service', 'retired', 'student', 'farmer'] as const
export type DuesCategory = (typeof DUES_CATEGORIES)[number]

export const DUES_CATEGORY_LABELS: Record<DuesCategory, string> = {
  in_service: '在职党员',
  retired: '离退休党员',
  student: '学生、下岗失业、领取最低生活保障金的党员',
  farmer: '农民党员',
}

/** Categories whose dues are a percentage of a declared base (the others pay a fixed sum). */
export const BASED_CATEGORIES: readonly DuesCategory[] = ['in_service', 'retired']

export const DUES_KINDS = ['monthly', 'quarterly', 'arrears', 'special'] as const
export type DuesKind = (typeof DUES_KINDS)[number]
export const DUES_KIND_LABELS: Record<DuesKind, string> = { monthly: '按月', quarterly: '按季', arrears: '补交', special: '特殊党费' }

/** How a member hands over dues. There is no "paid by the branch" and no payroll deduction: 不得垫交或扣缴. */
export const DUES_METHODS = ['cash', 'transfer'] as const
export type DuesMethod = (typeof DUES_METHODS)[number]
export const DUES_METHOD_LABELS: Record<DuesMethod, string> = { cash: '现金', transfer: '转账' }

/** A bracket: bases up to `upToFen` (inclusive; null: no upper bound) pay `rateBp` (万分之一). */
export interface Bracket {
  upToFen: number | null
  rateBp: number
}

export interface DuesRuleSet {
  id: string
  /** The document, cited in full. */
  source: string
  /** The first month the set applies to ('YYYY-MM'). */
  effectiveFrom: string
  inService: { brackets: readonly Bracket[]; article: string }
  retired: { brackets: readonly Bracket[]; article: string }
  /** Fixed monthly sums in 分. */
  fixed: { student: number; farmer: number; article: string }
  /** 预备党员 pay from the month the 支部大会 admits them. */
  probationaryArticle: string
  /** Quarterly payment with the branch's consent; 补交 at most `arrearsMonths` back. */
  paymentArticle: string
  arrearsMonths: number
  /** 特殊党费: voluntary, recorded apart from the monthly dues. */
  specialArticle: string
}

/**
 * The rule sets in force, oldest first. Article numbers follow the order of the document's first
 * part (一、党费的收缴); check them against the printed text when the rules are revised.
 */
export const DUES_RULE_SETS: readonly DuesRuleSet[] = [
  {
    id: 'zzb-2008',
    source: '中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（组通字〔2008〕3号）',
    effectiveFrom: '2008-02',
    inService: {
      brackets: [
        { upToFen: 300000, rateBp: 50 },
        { upToFen: 500000, rateBp: 100 },
        { upToFen: 1000000, rateBp: 150 },
        { upToFen: null, rateBp: 200 },
      ],
      article:
        '一、党费的收缴 第1条：每月工资收入（税后）3000元以下（含）交纳0.5%，3000至5000元（含）1%，5000至10000元（含）1.5%，10000元以上2%',
    },
    retired: {
      brackets: [
        { upToFen: 500000, rateBp: 50 },
        { upToFen: null, rateBp: 100 },
      ],
      article: '一、党费的收缴 第3条：离退休党员以基本离退休费为基数，5000元以下（含）交纳0.5%，5000元以上1%',
    },
    fixed: {
      student: 20,
      farmer: 50,
      article: '一、党费的收缴 第4条、第5条：学生、下岗失业、领取最低生活保障金的党员每月交纳0.2元；农民党员每月交纳0.5元',
    },
    probationaryArticle: '一、党费的收缴 第8条：预备党员从支部大会通过其为预备党员之月起交纳党费',
    paymentArticle: '一、党费的收缴 第9条：党员应按月交纳党费，经党支部同意可按季度交纳；补交不超过6个月',
    arrearsMonths: 6,
    specialArticle: '一、党费的收缴 第12条：党员自愿多交党费不限；特殊党费单独列账',
  },
]

/** The rule set in force in a month. */
export function ruleSetFor(month: string, sets: readonly DuesRuleSet[] = DUES_RULE_SETS): DuesRuleSet {
  let found = sets[0]
  for (const s of sets) if (s.effectiveFrom <= month) found = s
  if (!found) throw new Error('no dues rule set')
  return found
}

/** base × rate, rounded half up to the 分, in integers. */
export function percentOf(baseFen: number, rateBp: number): number {
  return Math.floor((baseFen * rateBp + 5000) / 10000)
}

export interface MonthlyDue {
  /** 分 a month. */
  dueFen: number
  /** 万分之一 of the base; null for the fixed sums. */
  rateBp: number | null
  /** The article of the rule applied, with its source. */
  rule: string
  source: string
}

/** What a member of this category and base owes for one month under the rules of that month. */
export function monthlyDue(category: DuesCategory, baseFen: number | null, month: string, sets?: readonly DuesRuleSet[]): MonthlyDue {
  const set = ruleSetFor(month, sets)
  if (category === 'student' || category === 'farmer')
    return { dueFen: set.fixed[category], rateBp: null, rule: set.fixed.article, source: set.source }
  const table = category === 'in_service' ? set.inService : set.retired
  const base = Math.max(0, baseFen ?? 0)
  const bracket = table.brackets.find((b) => b.upToFen === null || base <= b.upToFen) ?? table.brackets[table.brackets.length - 1]
  const rateBp = bracket?.rateBp ?? 0
  return { dueFen: percentOf(base, rateBp), rateBp, rule: table.article, source: set.source }
}

/** "1.5%" */
export function formatRate(rateBp: number | null): string {
  return rateBp === null ? '定额' : `${rateBp / 100}%`
}

/** "¥12.34" */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const a = Math.abs(fen)
  return `${sign}¥${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
}

/** "3000.01" → 300001 分; null when not an amount of at most two decimals. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text)
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

// ── Months ──────────────────────────────────────────────────────────────

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/

export const monthOf = (isoDate: string): string => isoDate.slice(0, 7)

export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7)) - 1 + n
  const year = y + Math.floor(m / 12)
  const mm = ((m % 12) + 12) % 12
  return `${year}-${String(mm + 1).padStart(2, '0')}`
}

/** Months from `from` to `to`, both included (empty when from > to). */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = []
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m)
  return out
}

/** The three months of the calendar quarter of `month`. */
export function quarterMonths(month: string): string[] {
  const y = month.slice(0, 4)
  const q = Math.floor((Number(month.slice(5, 7)) - 1) / 3)
  return [1, 2, 3].map((i) => `${y}-${String(q * 3 + i).padStart(2, '0')}`)
}

/** "2026年3月" */
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`
}

/**
 * The months a member owes and has not paid, from the month they owe from up to `throughMonth`
 * (included), oldest first. Pure: the six-month watch (连续6个月不交纳党费) reads it too.
 */
export function monthsUnpaid(fromMonth: string | null, paidMonths: Iterable<string>, throughMonth: string): string[] {
  if (!fromMonth) return []
  const paid = new Set(paidMonths)
  return monthRange(fromMonth, throughMonth).filter((m) => !paid.has(m))
}

/**
 * How many months in a row, ending with the last month that has ended before `today`, the member
 * owed and did not pay (the current month is not yet late). For the six-month watch: warn from 3,
 * the rule (党员教育管理工作条例 第31条第6项) speaks at 6.
 */
export function consecutiveMonthsUnpaid(fromMonth: string | null, paidMonths: Iterable<string>, today: string): number {
  const last = addMonths(monthOf(today), -1)
  const unpaid = new Set(monthsUnpaid(fromMonth, paidMonths, last))
  let n = 0
  for (let m = last; unpaid.has(m); m = addMonths(m, -1)) n++
  return n
}

/** The first month a member owes: the month they were admitted (入党日期), or the ledger's start if later. */
export function firstOwedMonth(joinedPartyOn: string | null, ledgerFrom: string): string {
  if (!joinedPartyOn) return ledgerFrom
  const joined = monthOf(joinedPartyOn)
  return joined > ledgerFrom ? joined : ledgerFrom
}

/**
 * Whether the months a receipt of this kind covers are acceptable, received on `receivedOn`, for
 * a member who owes from `fromMonth`. Null when acceptable, else the reason in Chinese.
 * - 按月: exactly the month it is received in;
 * - 按季: the months of the quarter it is received in, from the member's first owed month;
 * - 补交: 1 to 6 earlier months, none more than 6 months before the month received;
 * - 特殊党费: no months (it is apart from the monthly dues).
 */
export function checkReceiptMonths(kind: DuesKind, months: readonly string[], receivedOn: string, fromMonth: string | null): string | null {
  const received = monthOf(receivedOn)
  if (kind === 'special') return months.length === 0 ? null : '特殊党费不对应月份'
  if (months.length === 0) return '请选择交纳的月份'
  if (new Set(months).size !== months.length) return '月份重复'
  if (months.some((m) => !MONTH_PATTERN.test(m))) return '月份格式应为 YYYY-MM'
  if (!fromMonth) return '请先申报党费类别和基数'
  const before = months.find((m) => m < fromMonth)
  if (before) return `${monthLabel(before)}早于应交党费的起始月（${monthLabel(fromMonth)}）`
  const set = ruleSetFor(received)
  if (kind === 'monthly')
    return months.length === 1 && months[0] === received ? null : `按月交纳的是收款当月（${monthLabel(received)}）的党费`
  if (kind === 'quarterly') {
    const expected = quarterMonths(received).filter((m) => m >= fromMonth)
    const same = expected.length === months.length && [...months].sort().every((m, i) => m === expected[i])
    return same ? null : `按季交纳的是本季度（${expected.map(monthLabel).join('、')}）的党费`
  }
  const earliest = addMonths(received, -set.arrearsMonths)
  if (months.some((m) => m >= received)) return '补交的是收款月之前的月份'
  const old = months.find((m) => m < earliest)
  if (old) return `${monthLabel(old)}已超过6个月，不能补交（最早可补交${monthLabel(earliest)}）`
  return null
}

/**
 * The receipt number a receipt shows, the same on every phone and in the ledger, made from the
 * receipt's id: DF20260315-9F2C41D7. Ids are UUIDv7, whose first 12 hex digits are the time of
 * creation (receipts recorded together would share them): the number takes the last 8, random.
 */
export function receiptNumber(id: string, receivedOn: string): string {
  return `DF${receivedOn.replaceAll('-', '')}-${id.replaceAll('-', '').slice(-8).toUpperCase()}`
}

/**
 * Whether a member should be asked to re-check their base: every January, and whenever 12 months
 * have passed since it was last checked. Only for categories with a base.
 */
export function needsBaseCheck(category: DuesCategory, checkedOn: string, today: string): boolean {
  if (!BASED_CATEGORIES.includes(category)) return false
  if (monthOf(checkedOn) <= addMonths(monthOf(today), -12)) return true
  return today.slice(5, 7) === '01' && checkedOn.slice(0, 4) < today.slice(0, 4)
}
