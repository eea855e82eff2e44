import * as v from 'valibot'
import { contract } from './contract.ts'
import { titled, Uuid } from '../schemas/common.ts'
import { IdParams } from '../schemas/people.ts'

/** 党费: the branch's 收缴员 (named by its secretary or an administrator) and the yearly 党费收缴台账. */
export const setDuesCollector = contract({
  method: 'POST',
  path: '/api/dues/collector/:id',
  params: IdParams,
  body: v.strictObject({ memberId: titled('收缴员', v.nullable(Uuid)) }),
  response: v.object({ ok: v.literal(true) }),
})

/** A branch's 党费收缴台账 of one year: `<year>.xlsx`; its secretary, its 收缴员 and administrators. */
export const duesLedger = contract({
  method: 'GET',
  path: '/api/dues-ledger/:scope/:file',
  params: v.object({
    scope: titled('党支部', Uuid),
    file: v.pipe(v.string(), v.regex(/^\d{4}\.xlsx$/, '年份不正确')),
  }),
})
