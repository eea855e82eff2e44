import type { StudyRecord } from '../../../core/schemas/entities.ts'
import type { AccountDb } from '../../db/account-db.ts'

/** One member's records of one month (YYYY-MM), newest first. */
export async function monthRecords(db: AccountDb, ownerId: string, month: string): Promise<StudyRecord[]> {
  const rows = await db.study_records.where('[ownerId+date]').between([ownerId, `${month}-01`], [ownerId, `${month}-31`], true, true).toArray()
  return rows.filter((r) => !r.deleted).sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt))
}

export async function getStudy(db: AccountDb, id: string): Promise<StudyRecord | undefined> {
  const r = await db.study_records.get(id)
  return r && !r.deleted ? r : undefined
}
