import * as v from 'valibot'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { StudyRecordInput, studyRecordFields, type StudyRecord } from '../../../core/schemas/entities.ts'
import { newId } from '../../../core/ids.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, writeRow } from '../../db/write.ts'

export type StudyDraft = Omit<StudyRecord, 'id' | 'ownerId' | 'branchId' | 'orgId' | 'createdAt' | 'updatedAt' | 'deleted'>

/** Input the member typed that the shared schema refuses; the message is for the form. */
export class StudyInputError extends Error {}

function check<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, input)
  if (!r.success) throw new StudyInputError(issuesToMessage(r.issues, schema))
  return r.output
}

export async function createStudy(db: AccountDb, user: SessionUser, draft: StudyDraft): Promise<StudyRecord> {
  const now = new Date().toISOString()
  const fields = check(StudyRecordInput, { ...draft, createdAt: now })
  const row: StudyRecord = { id: newId(), ownerId: user.id, branchId: user.branchId, orgId: user.orgId, ...fields, updatedAt: now, deleted: false }
  await writeRow(db, 'study_records', row, fields)
  return row
}

/** Sends only the fields that changed, so a concurrent edit of another field on another device survives. */
export async function updateStudy(db: AccountDb, id: string, draft: StudyDraft): Promise<void> {
  const current = await db.study_records.get(id)
  if (!current || current.deleted) throw new StudyInputError('该记录已不存在')
  const input = check(v.object(Object.fromEntries(Object.keys(draft).map((k) => [k, studyRecordFields[k as keyof StudyDraft]]))), draft) as StudyDraft
  const changed: Partial<StudyDraft> = {}
  for (const key of Object.keys(input) as (keyof StudyDraft)[]) {
    if (input[key] !== current[key]) Object.assign(changed, { [key]: input[key] })
  }
  if (Object.keys(changed).length === 0) return
  await writeRow(db, 'study_records', { ...current, ...changed, updatedAt: new Date().toISOString() }, changed)
}

export async function removeStudy(db: AccountDb, id: string): Promise<void> {
  await deleteRow(db, 'study_records', id)
}
