import * as v from 'valibot'
import { followupCloseFields, rectificationFields, type Rectification } from '../../../core/schemas/entities.ts'
import { newId } from '../../../core/ids.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, ValidationError, writeRow } from '../../db/write.ts'

/** 整改清单, offline through the one write path: the secretary lists items, the owner closes them. */

const Item = v.object(rectificationFields)
export type RectificationInput = Omit<v.InferInput<typeof Item>, 'createdAt'>

function check<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, input)
  if (!r.success) throw new ValidationError(issuesToMessage(r.issues, schema))
  return r.output
}

export async function addRectification(db: AccountDb, user: SessionUser, input: RectificationInput): Promise<Rectification> {
  const fields = check(Item, { ...input, createdAt: new Date().toISOString() })
  const row: Rectification = {
    id: newId(),
    orgId: user.orgId,
    ...fields,
    closedAt: null,
    closedBy: null,
    closeNote: '',
    updatedAt: fields.createdAt,
    deleted: false,
  }
  await writeRow(db, 'rectifications', row, fields)
  return row
}

export async function editRectification(
  db: AccountDb,
  id: string,
  patch: Partial<Pick<RectificationInput, 'text' | 'ownerId' | 'dueOn'>>,
): Promise<void> {
  const current = await db.rectifications.get(id)
  if (!current) throw new ValidationError('整改事项不存在')
  const changed = Object.fromEntries(Object.entries(patch).filter(([k, val]) => current[k as keyof Rectification] !== val))
  if (Object.keys(changed).length === 0) return
  const fields = check(
    v.partial(v.object({ text: rectificationFields.text, ownerId: rectificationFields.ownerId, dueOn: rectificationFields.dueOn })),
    changed,
  )
  await writeRow(db, 'rectifications', { ...current, ...fields, updatedAt: new Date().toISOString() }, fields)
}

/** 销号: the owner (or the secretary) closes the item with what was done. */
export async function closeRectification(db: AccountDb, id: string, note: string, by: string): Promise<void> {
  const current = await db.rectifications.get(id)
  if (!current) throw new ValidationError('整改事项不存在')
  const { closeNote } = check(v.object(followupCloseFields), { closeNote: note })
  const now = new Date().toISOString()
  await writeRow(db, 'rectifications', { ...current, closedAt: now, closedBy: by, closeNote, updatedAt: now }, { closeNote })
}

export async function removeRectification(db: AccountDb, id: string): Promise<void> {
  await deleteRow(db, 'rectifications', id)
}
