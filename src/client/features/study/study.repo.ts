import * as v from 'valibot'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { StudyRecordInput, studyRecordFields, type StudyRecord } from '../../../core/schemas/entities.ts'
import { newId } from '../../../core/ids.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, ValidationError, writeRow } from '../../db/write.ts'

/**
 * The form takes the validation error from here: importing it loads this repository with the form,
 * so that 保存 shows the row in the next frame instead of waiting for a lazy import.
 */
export { ValidationError }

export type StudyDraft = Omit<StudyRecord, 'id' | 'ownerId' | 'branchId' | 'orgId' | 'createdAt' | 'updatedAt' | 'deleted'>

/** Parse with the shared schema; what it refuses is a ValidationError whose message the form shows. */
function check<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, input)
  if (!r.success) throw new ValidationError(issuesToMessage(r.issues, schema))
  return r.output
}

/** A new record, checked (synchronously, throws ValidationError) and not yet written: what the list shows at once. */
export function prepareStudy(user: SessionUser, draft: StudyDraft): { row: StudyRecord; fields: Record<string, unknown> } {
  const now = new Date().toISOString()
  const fields = check(StudyRecordInput, { ...draft, createdAt: now })
  const row: StudyRecord = {
    id: newId(),
    ownerId: user.id,
    branchId: user.branchId,
    orgId: user.orgId,
    ...fields,
    updatedAt: now,
    deleted: false,
  }
  return { row, fields }
}

/** Stores a prepared record: the row and its outbox entry in one transaction. */
export async function writeNewStudy(db: AccountDb, prepared: { row: StudyRecord; fields: Record<string, unknown> }): Promise<StudyRecord> {
  await writeRow(db, 'study_records', prepared.row, prepared.fields)
  return prepared.row
}

export async function createStudy(db: AccountDb, user: SessionUser, draft: StudyDraft): Promise<StudyRecord> {
  return writeNewStudy(db, prepareStudy(user, draft))
}

/** An edit, checked (synchronously, throws ValidationError) before anything is shown or written. */
export function checkStudyEdit(draft: StudyDraft): StudyDraft {
  return check(
    v.object(Object.fromEntries(Object.keys(draft).map((k) => [k, studyRecordFields[k as keyof StudyDraft]]))),
    draft,
  ) as StudyDraft
}

/**
 * Sends only the fields that changed, so a concurrent edit of another field on another device
 * survives. Returns the record as stored (unchanged when nothing changed).
 */
export async function updateStudy(db: AccountDb, id: string, draft: StudyDraft): Promise<StudyRecord> {
  const current = await db.study_records.get(id)
  if (!current || current.deleted) throw new ValidationError('该记录已不存在')
  const input = checkStudyEdit(draft)
  const changed: Partial<StudyDraft> = {}
  for (const key of Object.keys(input) as (keyof StudyDraft)[]) {
    if (input[key] !== current[key]) Object.assign(changed, { [key]: input[key] })
  }
  if (Object.keys(changed).length === 0) return current
  const row = { ...current, ...changed, updatedAt: new Date().toISOString() }
  await writeRow(db, 'study_records', row, changed)
  return row
}

export async function removeStudy(db: AccountDb, id: string): Promise<void> {
  await deleteRow(db, 'study_records', id)
}
