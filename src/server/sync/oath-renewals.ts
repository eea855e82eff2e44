import * as v from 'valibot'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { oathRenewalFields } from '../../core/schemas/entities.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'
import { chinaToday } from '../../core/domain/china-time.ts'
import type { Mutation } from '../../core/sync/protocol.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { PendingSeqs } from '../repositories/sequence.ts'
import type { Viewer } from '../lib/viewer.ts'
import { oathRenewalToWire } from './wire.ts'
import { oathScope } from './pull.ts'

/** A member records (or withdraws) their own oath renewal; it is never edited. */
export async function applyOathMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
  const existing = await trx.selectFrom('oath_renewals').select(['owner_id', 'deleted']).where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.owner_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能记录本人的重温入党誓词')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    await trx.updateTable('oath_renewals').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('oath_renewals', m.rowId)
    return
  }
  if (existing) throw new HttpError(409, 'conflict', '该记录不能修改')
  const schema = v.strictObject(oathRenewalFields)
  const r = v.safeParse(schema, m.fields ?? {})
  if (!r.success) throw new HttpError(422, 'validation', issuesToMessage(r.issues, schema))
  if (r.output.date > chinaToday(new Date())) throw new HttpError(422, 'validation', '日期不能晚于今天')
  await trx
    .insertInto('oath_renewals')
    .values({
      id: m.rowId,
      owner_id: viewer.id,
      branch_id: viewer.branchId,
      org_id: viewer.orgId,
      date: r.output.date,
      created_at: r.output.createdAt,
      updated_at: nowIso(),
      deleted: 0,
      seq: 0,
    })
    .execute()
  seqs.mark('oath_renewals', m.rowId)
}

export async function visibleOathRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('oath_renewals').selectAll().where('id', '=', id).where(oathScope(viewer)).executeTakeFirst()
  return r ? { ...oathRenewalToWire(r) } : null
}
