import * as v from 'valibot'
import { outsideTrainingFields, type OutsideTraining, type OutsideTrainingKind } from '../../../core/schemas/entities.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { newId } from '../../../core/ids.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, ValidationError, writeBatch, writeRow } from '../../db/write.ts'
import type { CompressedPhoto } from '../../photos/compress.ts'
import { pendingPhotoRows } from '../../photos/photos.repo.ts'

/** 其他培训, written offline through the one write path: the member records, the secretary confirms. */

const NewTraining = v.object(outsideTrainingFields)

export interface OutsideTrainingInput {
  kind: OutsideTrainingKind
  title: string
  organiser: string
  startOn: string
  endOn: string
  minutes: number
  notes: string
}

/** The member records outside training with its certificate photos (kept on the phone, uploaded in the background). */
export async function recordOutsideTraining(
  db: AccountDb,
  user: SessionUser,
  input: OutsideTrainingInput,
  photos: CompressedPhoto[] = [],
): Promise<OutsideTraining> {
  const createdAt = new Date().toISOString()
  const photoIds = photos.map(() => newId())
  const parsed = v.safeParse(NewTraining, { ...input, photoIds, createdAt })
  if (!parsed.success) throw new ValidationError(issuesToMessage(parsed.issues, NewTraining))
  const f = parsed.output
  if (f.endOn < f.startOn) throw new ValidationError('结束日期不能早于开始日期')
  if (f.endOn > chinaToday(new Date())) throw new ValidationError('培训结束后再登记')
  const row: OutsideTraining = {
    id: newId(),
    orgId: user.orgId,
    branchId: user.branchId,
    memberId: user.id,
    ...f,
    confirmedBy: null,
    confirmedAt: null,
    updatedAt: createdAt,
    deleted: false,
  }
  await writeBatch(
    db,
    ['outside_trainings'],
    async (w) => {
      if (photos.length)
        await db.photo_blobs.bulkAdd(pendingPhotoRows({ kind: 'outside_trainings', id: row.id }, photos, photoIds, createdAt))
      await w.put('outside_trainings', row, { ...f })
    },
    [db.photo_blobs],
  )
  return row
}

/** The secretary confirms (or withdraws the confirmation of) a member's outside training. */
export async function confirmOutsideTraining(db: AccountDb, user: SessionUser, id: string, confirmed = true): Promise<void> {
  const existing = await db.outside_trainings.get(id)
  if (!existing || existing.deleted) throw new ValidationError('培训记录不存在')
  if (existing.memberId === user.id) throw new ValidationError('培训记录由党支部书记确认')
  const now = new Date().toISOString()
  await writeRow(
    db,
    'outside_trainings',
    { ...existing, confirmedBy: confirmed ? user.id : null, confirmedAt: confirmed ? now : null, updatedAt: now },
    { confirmed },
  )
}

/** The member withdraws a record not yet confirmed. */
export async function withdrawOutsideTraining(db: AccountDb, id: string): Promise<void> {
  const existing = await db.outside_trainings.get(id)
  if (existing?.confirmedAt) throw new ValidationError('已确认的培训记录不能撤回')
  await deleteRow(db, 'outside_trainings', id)
}
