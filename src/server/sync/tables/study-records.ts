import * as v from 'valibot'
import type { Kysely, Selectable } from 'kysely'
import type { Database, StudyRecordTable } from '../../db/schema.ts'
import { StudyRecordInput, studyRecordFields, type StudyRecord } from '../../../core/schemas/entities.ts'
import { WRITABLE } from '../../../core/sync/tables.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import type { StudyKind } from '../../../core/domain/study-kinds.ts'
import type { Mutation } from '../../../core/sync/protocol.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { PendingSeqs } from '../../repositories/sequence.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { mergedText, parsePatch, refuseField, writableTable, type Scope } from '../table-module.ts'
import { ownRecords } from './scopes.ts'

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

export type StudyRow = Selectable<StudyRecordTable>

/** What one mutation does to a study record: the row as it then stands, and the columns it sets. */
export interface StudyChange {
  row: StudyRow
  /** The row is new: inserted whole. Otherwise only `columns` are written. */
  created: boolean
  columns: (keyof StudyRow)[]
}

/**
 * Decide what one pushed mutation of a study record does to the row as it stands (`existing`;
 * undefined when absent), without writing anything: refusals are thrown (HttpError) before any
 * effect, so a caller may apply the change later in a batch. Null: nothing changes.
 * Members write only their own records; secretaries and administrators read others' but never
 * write them. A mutation for a deleted record is refused with `deleted` (nothing is silently
 * resurrected).
 */
export function planStudyMutation(viewer: Viewer, m: Mutation, existing: StudyRow | undefined, now: string): StudyChange | null {
  if (existing && existing.owner_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的学习记录')

  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return null
    return { row: { ...existing, deleted: 1, seq: 0, updated_at: now }, created: false, columns: ['deleted', 'seq', 'updated_at'] }
  }

  const fields = m.fields ?? {}
  if (!existing) {
    const parsed = v.safeParse(StudyRecordInput, fields)
    if (!parsed.success) throw new HttpError(422, 'validation', issuesToMessage(parsed.issues, StudyRecordInput))
    const extra = Object.keys(fields).find((k) => !(k in columns))
    if (extra) refuseField(extra)
    const r = parsed.output
    const row: StudyRow = {
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
    }
    return { row, created: true, columns: [] }
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')

  const patch = parsePatch(studyRecordFields, fields)
  const row: StudyRow = { ...existing }
  const set: (keyof StudyRow)[] = []
  for (const [name, value] of Object.entries(patch) as [FieldName, unknown][]) {
    if (name === 'createdAt') continue // creation time is fixed by the first write
    const column = columns[name]
    if (column === 'minutes') row.minutes = value as number
    else if (column === 'kind') row.kind = patch.kind ?? row.kind
    else if ((WRITABLE.study_records.mergeText as readonly string[]).includes(name))
      row[column] = mergedText(m, name, String(existing[column]), String(value))
    else row[column] = String(value)
    if (!set.includes(column)) set.push(column)
  }
  if (set.length === 0) return null
  return { row: { ...row, updated_at: now, seq: 0 }, created: false, columns: [...set, 'updated_at', 'seq'] }
}

/** Write a planned change: the whole row if new, else only the columns it sets. */
export async function writeStudyChange(trx: Kysely<Database>, change: StudyChange): Promise<void> {
  if (change.created) {
    await trx.insertInto('study_records').values(change.row).execute()
    return
  }
  const set: Partial<StudyRow> = {}
  for (const c of change.columns) Object.assign(set, { [c]: change.row[c] })
  await trx.updateTable('study_records').set(set).where('id', '=', change.row.id).execute()
}

/** Apply one pushed mutation of a study record at once (see planStudyMutation). */
export async function applyStudyMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
  const existing = await trx.selectFrom('study_records').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const change = planStudyMutation(viewer, m, existing, nowIso())
  if (!change) return
  await writeStudyChange(trx, change)
  seqs.mark('study_records', m.rowId)
}

/** Study records: the member's own; the branch's for its secretary (read-only); all for administrators. */
export function studyScope(v: Viewer): Scope<'study_records'> {
  return ownRecords(v)
}

export function studyToWire(r: Selectable<StudyRecordTable>): StudyRecord {
  return {
    id: r.id,
    ownerId: r.owner_id,
    branchId: r.branch_id,
    orgId: r.org_id,
    kind: r.kind as StudyKind,
    title: r.title,
    date: r.date,
    minutes: Number(r.minutes),
    notes: r.notes,
    sourceUrl: r.source_url,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

export const studyRecords = writableTable({
  table: 'study_records',
  read: (db, viewer) => db.selectFrom('study_records').selectAll().where(studyScope(viewer)),
  toWire: (rows) => rows.map(studyToWire),
  apply: applyStudyMutation,
})
