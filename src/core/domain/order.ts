/**
 * The order people and branches are listed in, the same on the server and on every phone:
 * people by pinyin (冯、何、刘, not by code point); branches and 党小组 in the organisation's own
 * order: by the number in their name (第一、第二、第三……第十), then in the order they were set up
 * (ids are UUIDv7, so an id sorts by creation time).
 */

const pinyin = new Intl.Collator('zh-Hans-CN-u-co-pinyin', { numeric: true })

/** Compare two names as a Chinese reader expects (pinyin, digits as numbers). */
export const byPinyin = (a: string, b: string): number => pinyin.compare(a, b)

/** A list of people (anything with a name), sorted by pinyin; ties by id so every device agrees. */
export function sortByName<T extends { name: string; id?: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => byPinyin(a.name, b.name) || (a.id ?? '').localeCompare(b.id ?? ''))
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23, 一百零五 → 105; null if not a numeral. */
export function chineseNumeral(text: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(text)) return null
  let total = 0
  let digit: number | null = null
  for (const ch of text) {
    if (ch === '百' || ch === '十') {
      total += (digit ?? 1) * (ch === '百' ? 100 : 10)
      digit = null
    } else digit = DIGITS[ch] ?? 0
  }
  return total + (digit ?? 0)
}

/** The number a branch or group carries in its name (机关第三党支部 → 3, 第12党小组 → 12), or null. */
export function numberInName(name: string): number | null {
  const m = /第?([零〇一二两三四五六七八九十百]+|\d+)(?=[党支小组分部总])|第([零〇一二两三四五六七八九十百]+|\d+)/.exec(name)
  const text = m?.[1] ?? m?.[2]
  if (!text) return null
  return /^\d+$/.test(text) ? Number(text) : chineseNumeral(text)
}

/** Branches (or groups) in the organisation's order: numbered ones by number, then by when they were set up. */
export function compareOrgUnits(a: { id: string; name: string }, b: { id: string; name: string }): number {
  const na = numberInName(a.name)
  const nb = numberInName(b.name)
  if (na !== null && nb !== null && na !== nb) return na - nb
  if ((na === null) !== (nb === null)) return na === null ? 1 : -1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function sortOrgUnits<T extends { id: string; name: string }>(list: readonly T[]): T[] {
  return [...list].sort(compareOrgUnits)
}
