import type { Selectable } from 'kysely'
import type { StudyRecordTable } from '../../db/schema.ts'
import type { StudyRecord } from '../../../core/schemas/entities.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { writableTable, type Apply, type Scope } from '../table-module.ts'
import { ownRecords } from './scopes.ts'
import { planStudyMutation, StudyWriteBuffer, writeStudyChange } from './study-writes.ts'

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
    kind: r.kind,
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

/** Apply one pushed mutation of a study record at once (see planStudyMutation). */
export const applyStudyMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('study_records').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const change = planStudyMutation(viewer, m, existing, nowIso())
  if (!change) return
  await writeStudyChange(trx, change)
  seqs.mark('study_records', m.rowId)
}

export const studyRecords = writableTable({
  table: 'study_records',
  read: (db, viewer) => db.selectFrom('study_records').selectAll().where(studyScope(viewer)),
  toWire: (rows) => rows.map(studyToWire),
  apply: applyStudyMutation,
  /** In a group commit, planned in memory and written in a few multi-row statements (study-writes.ts). */
  batch: () => new StudyWriteBuffer(),
})
