import * as v from 'valibot'
import { contract } from './contract.ts'
import { Uuid } from '../schemas/common.ts'
import { MEETING_TYPES, type Rule as DomainRule } from '../domain/meetings.ts'

/** A meeting's .ics, the yearly ledgers (台账) as workbooks, and the organisation's meeting rules. */
export const meetingIcs = contract({
  method: 'GET',
  path: '/api/meetings/:file',
  params: v.object({ file: v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}\.ics$/, '会议编号不正确')) }),
})

/** A branch's (or, for 民主生活会 and the study group, the leadership's) ledger of one year: `<year>.xlsx`. */
const LedgerParams = v.object({
  scope: v.union([Uuid, v.literal('leadership')], '请选择党支部'),
  file: v.pipe(v.string(), v.regex(/^\d{4}\.xlsx$/, '年份不正确')),
})
export const meetingsLedger = contract({ method: 'GET', path: '/api/ledger/:scope/:file', params: LedgerParams })
export const visitsLedger = contract({ method: 'GET', path: '/api/visits-ledger/:scope/:file', params: LedgerParams })
export const studyLedger = contract({ method: 'GET', path: '/api/study-ledger/:scope/:file', params: LedgerParams })

const RuleFields = {
  type: v.picklist(MEETING_TYPES),
  period: v.picklist(['month', 'quarter', 'year']),
  times: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)),
}
/** A rule as the server answers it: with the China date from which it is judged. */
const Rule = v.object({ ...RuleFields, since: v.optional(v.string()) })
/** Rules as the organisation keeps them (organizations.rules). */
export const StoredRules = v.array(Rule)
/** Rules as an administrator sends them (the server sets each one's `since`); null restores the defaults. */
const Rules = v.pipe(v.array(v.object(RuleFields)), v.maxLength(20))

const RulesReply = v.object({ rules: v.array(Rule), custom: v.boolean(), startedOn: v.string() })
/** The organisation's rules, each judged from its `since`, and the day the organisation started (nothing is owed before it). */
export const rules = contract({ method: 'GET', path: '/api/org/rules', response: RulesReply })
export const setRules = contract({
  method: 'POST',
  path: '/api/admin/rules',
  body: v.object({ rules: v.nullable(Rules) }),
  response: RulesReply,
})

// The wire's rule is the domain's (core/domain/meetings.ts), both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
export const RULE_MATCHES_DOMAIN: Same<v.InferOutput<typeof Rule>, DomainRule> = true
