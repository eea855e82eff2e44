import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { OathRenewalTable } from '../../db/schema.ts'
import { oathRenewalFields, type OathRenewal } from '../../../core/schemas/entities.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { parse, writableTable, type Apply, type Scope } from '../table-module.ts'
import { ownRecords } from './scopes.ts'

/** Oath renewals: the member's own; the branch's for its secretary (read-only); all for administrators. */
export function oathScope(v: Viewer): Scope<'oath_renewals'> {
  return ownRecords(v)
}

export function oathRenewalToWire(r: Selectable<OathRenewalTable>): OathRenewal {
  return {
    id: r.id,
    ownerId: r.owner_id,
    branchId: r.branch_id,
    orgId: r.org_id,
    date: r.date,
    createdAt: r.created_at,
    deleted: r.deleted === 1,
  }
}

/** A member records (or withdraws) their own oath renewal; it is never edited. */
export const applyOathMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('oath_renewals').select(['owner_id', 'deleted']).where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.owner_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能记录本人的重温入党誓词')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    await trx.updateTable('oath_renewals').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('oath_renewals', m.rowId)
    return
  }
  if (existing) throw new HttpError(409, 'conflict', '该记录不能修改')
  const f = parse(v.strictObject(oathRenewalFields), m.fields ?? {})
  if (f.date > chinaToday(new Date())) throw new HttpError(422, 'validation', '日期不能晚于今天')
  await trx
    .insertInto('oath_renewals')
    .values({
      id: m.rowId,
      owner_id: viewer.id,
      branch_id: viewer.branchId,
      org_id: viewer.orgId,
      date: f.date,
      created_at: f.createdAt,
      updated_at: nowIso(),
      deleted: 0,
      seq: 0,
    })
    .execute()
  seqs.mark('oath_renewals', m.rowId)
}

export const oathRenewals = writableTable({
  table: 'oath_renewals',
  read: (db, viewer) => db.selectFrom('oath_renewals').selectAll().where(oathScope(viewer)),
  toWire: (rows) => rows.map(oathRenewalToWire),
  apply: applyOathMutation,
})
