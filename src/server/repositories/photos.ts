import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { nowIso } from '../lib/time.ts'
import type { RowFilter } from './meetings.ts'

/** The record of a photo upload (the bytes are files under DATA_DIR/photos). */
export async function photoRow(db: Kysely<Database>, id: string) {
  return db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst()
}

export interface NewPhoto {
  id: string
  orgId: string
  ownerTable: 'visits' | 'meetings' | 'outside_trainings'
  ownerId: string
  uploaderId: string
  total: number
}

/** An upload begins: nothing received yet. */
export async function startUpload(db: Kysely<Database>, p: NewPhoto): Promise<void> {
  await db
    .insertInto('photos')
    .values({
      id: p.id,
      org_id: p.orgId,
      owner_table: p.ownerTable,
      owner_id: p.ownerId,
      uploader_id: p.uploaderId,
      mime: '',
      total: p.total,
      received: 0,
      complete: 0,
      created_at: nowIso(),
    })
    .execute()
}

/** How many bytes the server holds of an upload. */
export async function setReceived(db: Kysely<Database>, id: string, received: number): Promise<void> {
  await db.updateTable('photos').set({ received }).where('id', '=', id).execute()
}

/** An unfinished upload's count, corrected down to what its part file holds. */
export async function correctReceived(db: Kysely<Database>, id: string, received: number): Promise<void> {
  await db.updateTable('photos').set({ received }).where('id', '=', id).where('complete', '=', 0).execute()
}

/** The whole photo is in place. */
export async function markComplete(db: Kysely<Database>, id: string, total: number, mime: string): Promise<void> {
  await db.updateTable('photos').set({ received: total, complete: 1, mime }).where('id', '=', id).execute()
}

export async function removePhoto(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('photos').where('id', '=', id).execute()
}

/** An abandoned upload's record (only if it never finished). */
export async function removeUnfinished(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('photos').where('id', '=', id).where('complete', '=', 0).execute()
}

/** A visit within `scope`: who went and its photos. */
export async function visitWithin(db: Kysely<Database>, id: string, scope: RowFilter<'visits'>) {
  return db.selectFrom('visits').select(['id', 'member_ids', 'photo_ids', 'deleted']).where('id', '=', id).where(scope).executeTakeFirst()
}

/** A meeting within `scope`: its branch and photos. */
export async function meetingPhotosWithin(db: Kysely<Database>, id: string, scope: RowFilter<'meetings'>) {
  return db.selectFrom('meetings').select(['id', 'branch_id', 'photo_ids', 'deleted']).where('id', '=', id).where(scope).executeTakeFirst()
}

/** An outside training within `scope`: whose it is, its branch and certificate photos. */
export async function trainingPhotosWithin(db: Kysely<Database>, id: string, scope: RowFilter<'outside_trainings'>) {
  return db
    .selectFrom('outside_trainings')
    .select(['id', 'member_id', 'photo_ids', 'deleted', 'confirmed_at'])
    .where('id', '=', id)
    .where(scope)
    .executeTakeFirst()
}
