import * as v from 'valibot'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { followupFields, householdFields, visitFields, type Followup, type Household, type Visit } from '../../../core/schemas/entities.ts'
import { newId } from '../../../core/ids.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { ValidationError, writeBatch, writeRow } from '../../db/write.ts'
import type { CompressedPhoto } from '../../photos/compress.ts'
import { pendingPhotoRows } from '../../photos/photos.repo.ts'

/** Parse with the shared schema; what it refuses is a ValidationError whose message the form shows. */
function check<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, input)
  if (!r.success) throw new ValidationError(issuesToMessage(r.issues, schema))
  return r.output
}

export type HouseholdInput = Omit<v.InferInput<v.ObjectSchema<typeof householdFields, undefined>>, 'createdAt'>

export async function saveHousehold(db: AccountDb, user: SessionUser, id: string | null, input: HouseholdInput): Promise<string> {
  if (id) {
    const current = await db.households.get(id)
    if (!current) throw new ValidationError('联系户不存在')
    const patch = check(v.partial(v.object(householdFields)), input)
    const changed = Object.fromEntries(
      Object.entries(patch).filter(([k, val]) => JSON.stringify(current[k as keyof Household]) !== JSON.stringify(val)),
    )
    if (Object.keys(changed).length)
      await writeRow(db, 'households', { ...current, ...changed, updatedAt: new Date().toISOString() }, changed)
    return id
  }
  const fields = check(v.object(householdFields), { ...input, createdAt: new Date().toISOString() })
  const row: Household = { id: newId(), orgId: user.orgId, ...fields, updatedAt: fields.createdAt, deleted: false }
  await writeRow(db, 'households', row, { ...fields })
  return row.id
}

export interface VisitDraft {
  householdId: string | null
  place: string
  visitedAt: string
  memberIds: string[]
  findings: string
  problems: string
  location: string | null
  photos: CompressedPhoto[]
  followups: { text: string; ownerId: string; dueOn: string }[]
}

/**
 * A visit recorded on the spot, in one transaction: its photos kept on the phone (they are large
 * and go up separately, in the background), the visit and its follow-ups through the one write path.
 */
export async function recordVisit(db: AccountDb, user: SessionUser, draft: VisitDraft): Promise<string> {
  const createdAt = new Date().toISOString()
  const id = newId()
  const photoIds = draft.photos.map(() => newId())
  // The household's name goes with the visit as its place: companions who are not linked to the
  // household (and so never receive its record) still read whom they visited, not “联系户”.
  const household = draft.householdId ? await db.households.get(draft.householdId) : undefined
  const fields = check(v.object(visitFields), {
    branchId: user.branchId,
    householdId: draft.householdId,
    place: draft.place.trim() || household?.name || '',
    visitedAt: draft.visitedAt,
    memberIds: [...new Set([user.id, ...draft.memberIds])],
    findings: draft.findings,
    problems: draft.problems,
    location: draft.location,
    photoIds,
    createdAt,
  })
  if (!fields.householdId && !fields.place.trim()) throw new ValidationError('请选择联系户或填写走访地点')
  const followups = draft.followups
    .filter((f) => f.text.trim())
    .map((f) => check(v.object(followupFields), { ...f, visitId: id, createdAt }))
  const visit: Visit = { id, orgId: user.orgId, ...fields, createdBy: user.id, updatedAt: createdAt, deleted: false }
  await writeBatch(
    db,
    ['visits', 'followups'],
    async (w) => {
      await db.photo_blobs.bulkAdd(pendingPhotoRows({ kind: 'visits', id }, draft.photos, photoIds, createdAt))
      await w.put('visits', visit, { ...fields })
      for (const f of followups) {
        const row: Followup = {
          id: newId(),
          orgId: user.orgId,
          branchId: user.branchId,
          householdId: fields.householdId,
          ...f,
          closedAt: null,
          closeNote: '',
          updatedAt: createdAt,
          deleted: false,
        }
        await w.put('followups', row, { ...f })
      }
    },
    [db.photo_blobs],
  )
  return id
}

export async function closeFollowup(db: AccountDb, id: string, note: string): Promise<void> {
  const current = await db.followups.get(id)
  if (!current) throw new ValidationError('事项不存在')
  const closeNote = note.trim()
  if (!closeNote) throw new ValidationError('请填写办理结果')
  const now = new Date().toISOString()
  await writeRow(db, 'followups', { ...current, closedAt: now, closeNote, updatedAt: now }, { closeNote })
}
