import type { StudyRecord } from '../../../core/schemas/entities.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { summarize, type StudySummary } from './study-summary.ts'

/** The order of a month's records: newest date first, then the latest recorded. */
export const newestFirst = (a: StudyRecord, b: StudyRecord): number =>
  b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt)

/** One member's records of one month (YYYY-MM), newest first. */
export async function monthRecords(db: AccountDb, ownerId: string, month: string): Promise<StudyRecord[]> {
  const rows = await db.study_records
    .where('[ownerId+date]')
    .between([ownerId, `${month}-01`], [ownerId, `${month}-31`], true, true)
    .toArray()
  return rows.filter((r) => !r.deleted).sort(newestFirst)
}

/**
 * The totals of one member's month, for the home screen: no sorting, and the rows are not kept
 * (a month a first pull filled with many records costs one read, not a list held in memory).
 * Read it outside a live query (useLiveRead, following followStudyRecords): inside one, Dexie
 * would remember the key of every row read for as long as the query is followed.
 */
export async function monthSummary(db: AccountDb, ownerId: string, month: string): Promise<StudySummary> {
  // A cursor, not toArray: Dexie keeps a live query's arrays in its cache while it is followed.
  const kept: Pick<StudyRecord, 'kind' | 'minutes'>[] = []
  await db.study_records
    .where('[ownerId+date]')
    .between([ownerId, `${month}-01`], [ownerId, `${month}-31`], true, true)
    .each((r) => {
      if (!r.deleted) kept.push({ kind: r.kind, minutes: r.minutes })
    })
  return summarize(kept)
}

/**
 * What a live read of study records follows: one row read through the primary key, which makes
 * Dexie signal every write to the table (a record added, changed or deleted in any month), and
 * remembers one range, not the keys of a month's rows.
 */
export function followStudyRecords(db: AccountDb): Promise<unknown> {
  return db.study_records.limit(1).toArray()
}

export async function getStudy(db: AccountDb, id: string): Promise<StudyRecord | undefined> {
  const r = await db.study_records.get(id)
  return r && !r.deleted ? r : undefined
}
