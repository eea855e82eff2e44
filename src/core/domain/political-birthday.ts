/**
 * Political birthday (政治生日) and Party standing (党龄).
 * - The political birthday is the anniversary of 入党日期 (admission as a probationary member).
 * - 党龄 counts whole years from 转正日期 (full membership), never from 入党日期.
 * - Rule for 29 February: in a common year the anniversary is 28 February (the last day of the
 *   month the person joined in), for both the political birthday and 党龄.
 * Dates are calendar dates (YYYY-MM-DD); "today" is the date in China (Asia/Shanghai).
 */

export const OATH =
  '我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。'

const pad = (n: number) => String(n).padStart(2, '0')
export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return [y, m, d]
}

/** The anniversary of `date` in `year` (29 February → 28 February in common years). */
export function anniversaryIn(date: string, year: number): string {
  const [, m, d] = parts(date)
  const day = m === 2 && d === 29 && !isLeapYear(year) ? 28 : d
  return `${year}-${pad(m)}-${pad(day)}`
}

/** Whole years from `since` to `today`, with the 29 February rule; null if unknown or in the future. */
export function wholeYears(since: string | null, today: string): number | null {
  if (!since || since > today) return null
  const [sy] = parts(since)
  const [ty] = parts(today)
  const years = ty - sy
  return anniversaryIn(since, ty) <= today ? years : years - 1
}

/** 党龄: whole years of full membership. */
export const partyStanding = (fullMemberOn: string | null, today: string): number | null => wholeYears(fullMemberOn, today)

/** N if today is the Nth political birthday (N ≥ 1), else null. */
export function politicalBirthdayToday(joinedOn: string | null, today: string): number | null {
  if (!joinedOn || joinedOn >= today) return null
  const [ty] = parts(today)
  return anniversaryIn(joinedOn, ty) === today ? ty - parts(joinedOn)[0] : null
}

/** The next political birthday on or after today, and which one it is. */
export function nextPoliticalBirthday(joinedOn: string | null, today: string): { date: string; nth: number } | null {
  if (!joinedOn || joinedOn > today) return null
  const [jy] = parts(joinedOn)
  const [ty] = parts(today)
  for (const year of [ty, ty + 1]) {
    const date = anniversaryIn(joinedOn, year)
    if (date >= today && year > jy) return { date, nth: year - jy }
  }
  return null
}

/** Days from `from` to `to` (calendar dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

export interface BirthdayEntry<T> {
  member: T
  date: string
  nth: number
  inDays: number
}

/** Political birthdays within `days` days from today (today included), soonest first. */
export function upcomingPoliticalBirthdays<T extends { joinedPartyOn: string | null }>(
  members: readonly T[],
  today: string,
  days = 30,
): BirthdayEntry<T>[] {
  const out: BirthdayEntry<T>[] = []
  for (const member of members) {
    const next = nextPoliticalBirthday(member.joinedPartyOn, today)
    if (!next) continue
    const inDays = daysBetween(today, next.date)
    if (inDays <= days) out.push({ member, ...next, inDays })
  }
  return out.sort((a, b) => a.inDays - b.inDays)
}

/** Chinese message for dates that cannot be right, or null. */
export function checkPartyDates(joinedOn: string | null, fullMemberOn: string | null, today: string): string | null {
  if (joinedOn && joinedOn > today) return '入党日期不能晚于今天'
  if (fullMemberOn && fullMemberOn > today) return '转正日期不能晚于今天'
  if (fullMemberOn && !joinedOn) return '请先填写入党日期'
  if (joinedOn && fullMemberOn && fullMemberOn <= joinedOn) return '转正日期应晚于入党日期'
  return null
}

export interface MonthOfBirthdays<T> {
  /** YYYY-MM */
  month: string
  entries: BirthdayEntry<T>[]
}

/** The next twelve months' political birthdays, grouped by month, starting with the current one. */
export function birthdaysByMonth<T extends { joinedPartyOn: string | null }>(members: readonly T[], today: string): MonthOfBirthdays<T>[] {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const months: MonthOfBirthdays<T>[] = Array.from({ length: 12 }, (_, i) => {
    const mm = ((m - 1 + i) % 12) + 1
    const yy = y + Math.floor((m - 1 + i) / 12)
    return { month: `${yy}-${pad(mm)}`, entries: [] }
  })
  const first = `${months[0]?.month}-01`
  for (const member of members) {
    if (!member.joinedPartyOn || member.joinedPartyOn > today) continue
    const jy = Number(member.joinedPartyOn.slice(0, 4))
    for (const year of [y, y + 1]) {
      const date = anniversaryIn(member.joinedPartyOn, year)
      const bucket = months.find((b) => b.month === date.slice(0, 7))
      if (!bucket || year <= jy || date < first) continue
      bucket.entries.push({ member, date, nth: year - jy, inDays: daysBetween(today, date) })
    }
  }
  for (const b of months) b.entries.sort((a, c) => a.date.localeCompare(c.date))
  return months
}
