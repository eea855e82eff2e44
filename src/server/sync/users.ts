import * as v from 'valibot'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { partyDateFields } from '../../core/schemas/entities.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'
import { checkPartyDates } from '../../core/domain/political-birthday.ts'
import { chinaToday } from '../../core/domain/china-time.ts'
import type { Mutation } from '../../core/sync/protocol.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { PendingSeqs } from '../repositories/sequence.ts'
import type { Viewer } from '../lib/viewer.ts'
import { USER_WIRE_COLUMNS, userToWire } from './wire.ts'
import { userScope } from './pull.ts'

const columns = { joinedPartyOn: 'joined_party_on', fullMemberOn: 'full_member_on' } as const

/** A member sets their own 入党日期 and 转正日期; nothing else of a person is written through sync. */
export async function applyUserMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
  if (m.op !== 'upsert' || m.rowId !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的党员信息')
  const existing = await trx
    .selectFrom('users')
    .select(['joined_party_on', 'full_member_on'])
    .where('id', '=', viewer.id)
    .executeTakeFirst()
  if (!existing) throw new HttpError(404, 'not_found')
  const next = { joined_party_on: existing.joined_party_on, full_member_on: existing.full_member_on }
  for (const [key, value] of Object.entries(m.fields ?? {})) {
    if (!(key in columns)) throw new HttpError(422, 'validation', `不能修改的字段：${key.slice(0, 40)}`)
    const name = key as keyof typeof columns
    const r = v.safeParse(partyDateFields[name], value)
    if (!r.success) throw new HttpError(422, 'validation', issuesToMessage(r.issues, partyDateFields[name]))
    next[columns[name]] = r.output
  }
  const problem = checkPartyDates(next.joined_party_on, next.full_member_on, chinaToday(new Date()))
  if (problem) throw new HttpError(422, 'validation', problem)
  await trx
    .updateTable('users')
    .set({ ...next, updated_at: nowIso(), seq: 0 })
    .where('id', '=', viewer.id)
    .execute()
  seqs.mark('users', viewer.id)
}

export async function visibleUserRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('users').select(USER_WIRE_COLUMNS).where('id', '=', id).where(userScope(viewer)).executeTakeFirst()
  return r ? { ...userToWire(r, viewer) } : null
}
