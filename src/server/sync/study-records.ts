import * as v from 'valibot'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { StudyRecordInput, studyRecordFields } from '../../core/schemas/entities.ts'
import { mergeText, WRITABLE } from '../../core/sync/tables.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'
import type { Mutation } from '../../core/sync/protocol.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { PendingSeqs } from '../repositories/sequence.ts'
import type { Viewer } from './viewer.ts'
import { studyToWire } from './wire.ts'
import { studyScope } from './pull.ts'

const columns = {
  kind: 'kind',
  title: 'title',
  date: 'date',
  minutes: 'minutes',
  notes: 'notes',
  sourceUrl: 'source_url',
  createdAt: 'created_at',
} as const satisfies Record<keyof typeof studyRecordFields, string>

type FieldName = keyof typeof columns

function validatePatch(fields: Record<string, unknown>): Partial<Record<FieldName, unknown>> {
  const out: Partial<Record<FieldName, unknown>> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in columns)) throw new HttpError(422, 'validation', `未知字段：${key.slice(0, 40)}`)
    const name = key as FieldName
    const result = v.safeParse(studyRecordFields[name], value)
    if (!result.success) throw new HttpError(422, 'validation', issuesToMessage(result.issues, studyRecordFields[name]))
    out[name] = result.output
  }
  return out
}

/**
 * Apply one pushed mutation of a study record. Members write only their own records;
 * secretaries and administrators read others' but never write them.
 * A mutation for a deleted record is refused with `deleted` (nothing is silently resurrected).
 */
export async function applyStudyMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
  const existing = await trx.selectFrom('study_records').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.owner_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的学习记录')
  const now = nowIso()

  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    await trx
      .updateTable('study_records')
      .set({ deleted: 1, seq: 0, updated_at: now })
      .where('id', '=', m.rowId)
      .execute()
    seqs.mark('study_records', m.rowId)
    return
  }

  const fields = m.fields ?? {}
  if (!existing) {
    const parsed = v.safeParse(StudyRecordInput, fields)
    if (!parsed.success) throw new HttpError(422, 'validation', issuesToMessage(parsed.issues, StudyRecordInput))
    const extra = Object.keys(fields).find((k) => !(k in columns))
    if (extra) throw new HttpError(422, 'validation', `未知字段：${extra.slice(0, 40)}`)
    const r = parsed.output
    await trx
      .insertInto('study_records')
      .values({
        id: m.rowId,
        owner_id: viewer.id,
        branch_id: viewer.branchId,
        org_id: viewer.orgId,
        kind: r.kind,
        title: r.title,
        date: r.date,
        minutes: r.minutes,
        notes: r.notes,
        source_url: r.sourceUrl,
        created_at: r.createdAt,
        updated_at: now,
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('study_records', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')

  const patch = validatePatch(fields)
  const set: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(patch) as [FieldName, unknown][]) {
    if (name === 'createdAt') continue // creation time is fixed by the first write
    let next = value
    if ((WRITABLE.study_records.mergeText as readonly string[]).includes(name)) {
      const base = m.base?.[name]
      next = mergeText(typeof base === 'string' ? base : undefined, String(existing[columns[name]]), String(value))
    }
    set[columns[name]] = next
  }
  if (Object.keys(set).length === 0) return
  await trx
    .updateTable('study_records')
    .set({ ...set, updated_at: now, seq: 0 })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('study_records', m.rowId)
}

export async function visibleStudyRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('study_records').selectAll().where('id', '=', id).where(studyScope(viewer)).executeTakeFirst()
  return r ? { ...studyToWire(r) } : null
}
