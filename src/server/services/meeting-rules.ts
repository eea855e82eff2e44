import { DEFAULT_RULES, type Rule } from '../../core/domain/meetings.ts'
import { chinaToday } from '../../core/domain/china-time.ts'
import { StoredRules } from '../../core/contracts/meetings.ts'
import { jsonColumn } from '../db/json.ts'

/**
 * The organisation's rules, each with the day from which it is judged (never before the
 * organisation started), and that day itself: a new organisation owes nothing for the time before it.
 */
export function orgRules(org: { rules: string | null; created_at: string }): { rules: Rule[]; custom: boolean; startedOn: string } {
  const startedOn = chinaToday(new Date(org.created_at))
  const rules: Rule[] = org.rules ? jsonColumn(StoredRules, org.rules) : DEFAULT_RULES
  return {
    rules: rules.map((r) => ({ ...r, since: r.since && r.since > startedOn ? r.since : startedOn })),
    custom: org.rules !== null,
    startedOn,
  }
}
