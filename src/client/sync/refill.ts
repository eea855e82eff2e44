import { newId } from '../../core/ids.ts'
import { MUTATION_VERSION, type Mutation } from '../../core/sync/protocol.ts'
import type { WritableTable } from '../../core/sync/tables.ts'
import type { SessionUser } from '../../core/schemas/auth.ts'
import {
  feedbackFields,
  duesPaymentFields,
  duesProfileFields,
  followupFields,
  rectificationFields,
  householdFields,
  makeupFields,
  outsideTrainingFields,
  meetingFields,
  oathRenewalFields,
  reminderSettingsFields,
  studyRecordFields,
  visitFields,
} from '../../core/schemas/entities.ts'
import { reviewCycleFields, reviewGradeFields } from '../../core/schemas/review.ts'
import { REFILL_KEY, type AccountDb } from '../db/account-db.ts'
import { managesBranch } from '../../core/domain/authority.ts'

/**
 * After a server restore (a pull answers `resetReason: 'restored'`), the phone sends back what
 * its person wrote that the restored server no longer has (docs/sync.md, "Restore"): the rows
 * are remembered before the reset drops them, and once the fresh pull has finished every one the
 * server did not send is queued again as new mutations carrying the original row ids, in an
 * order where parents come first. The server authorises them as usual; a change whose meeting or
 * visit has not come back yet waits in the outbox until it has.
 */

interface Remembered {
  table: WritableTable
  row: Record<string, unknown>
  /** This person may create the row again (a follow-up of a visit they recorded). */
  create?: boolean
  /** The fresh pull delivered this row: the server has it (set by sync/apply.ts). */
  onServer?: boolean
}

type Row = Record<string, unknown>

const pick = (row: Row, keys: readonly string[]): Row => Object.fromEntries(keys.filter((k) => k in row).map((k) => [k, row[k]]))
const keysOf = (o: object) => Object.keys(o)

/** Tables in the order their rows must reach the server (parents first). */
const ORDER: WritableTable[] = [
  'reminder_settings',
  'users',
  'study_records',
  'oath_renewals',
  'households',
  'meetings',
  'visits',
  'followups',
  'rectifications',
  'attendance',
  'makeups',
  'feedback',
  'dues_profiles',
  'dues_payments',
  'outside_trainings',
  'review_cycles',
  'review_papers',
  'review_grades',
]

/** The rows this person wrote (or, for managers, keeps) that the server would accept from them again. */
export async function rememberAuthored(db: AccountDb, me: SessionUser): Promise<void> {
  // A second restore before the first refill finished: the visits remembered then count too. The
  // reset that followed dropped them from the phone (nothing was pending for them), while a
  // follow-up with an unsent closing stayed: it must still be created again before its closing.
  const before = ((await db.meta.get(REFILL_KEY))?.value as { rows: Remembered[] } | undefined)?.rows ?? []
  const visits = [...(await db.visits.toArray()), ...before.filter((r) => r.table === 'visits').map((r) => r.row)]
  // Follow-ups are created with their visit, by whoever recorded it: that phone sends them back
  // after the visit (and sets them aside with it if the server refuses it). A companion's phone
  // only closes the ones it owns: the visit never comes back from it, so a creation sent from it
  // could only wait.
  const recorded = new Set(visits.filter((v) => v.createdBy === me.id).map((v) => String(v.id)))
  const manages = (branchId: unknown) => managesBranch(me, typeof branchId === 'string' ? branchId : null)
  const mine: { [K in WritableTable]: (r: Row) => boolean } = {
    study_records: (r) => r.ownerId === me.id,
    oath_renewals: (r) => r.ownerId === me.id,
    reminder_settings: (r) => r.id === me.id,
    users: (r) => r.id === me.id,
    meetings: (r) => typeof r.signKey === 'string' && manages(r.branchId),
    attendance: (r) => r.memberId === me.id || r.markedBy === me.id,
    makeups: (r) => r.memberId === me.id || r.confirmedBy === me.id,
    outside_trainings: (r) => r.memberId === me.id || r.confirmedBy === me.id,
    households: (r) => manages(r.branchId),
    visits: (r) => r.createdBy === me.id,
    followups: (r) => recorded.has(String(r.visitId)) || (r.closedAt !== null && r.ownerId === me.id),
    feedback: (r) => r.authorId === me.id || r.answeredBy === me.id,
    dues_profiles: (r) => r.declaredBy === me.id,
    dues_payments: (r) => r.collectorId === me.id,
    // The branch's secretary lists the items again; an owner sends back the closing they wrote.
    rectifications: (r) => manages(r.branchId) || (r.closedAt !== null && r.ownerId === me.id),
    review_cycles: (r) => manages(r.branchId),
    review_papers: (r) => r.authorId === me.id,
    review_grades: (r) => r.gradedBy === me.id,
  }
  const remembered: Remembered[] = []
  for (const table of ORDER) {
    for (const row of (await db.table(table).toArray()) as Row[]) {
      if (!row.deleted && mine[table](row))
        remembered.push({
          table,
          row,
          ...(table === 'followups' && { create: recorded.has(String(row.visitId)) }),
          ...(table === 'rectifications' && { create: manages(row.branchId) }),
        })
    }
  }
  const proofs = await db.scan_proofs.toArray()
  await db.transaction('rw', [db.meta, db.photo_blobs], async () => {
    // A second restore before the first refill finished: what was remembered then is kept too.
    const earlier = (await db.meta.get(REFILL_KEY))?.value as { rows: Remembered[] } | undefined
    const seen = new Set(remembered.map((r) => `${r.table}/${String(r.row.id)}`))
    // What the server had then is not known to be there now: the new fresh pull marks it again.
    const rows = [
      ...remembered,
      ...(earlier?.rows ?? []).filter((r) => !seen.has(`${r.table}/${String(r.row.id)}`)).map(({ onServer: _o, ...r }) => r),
    ]
    rows.sort((a, b) => ORDER.indexOf(a.table) - ORDER.indexOf(b.table))
    await db.meta.put({ key: REFILL_KEY, value: { me: me.id, rows, proofs } })
    // Photos still on the phone are offered again: the uploader asks the server what it holds
    // and sends only what it lacks.
    await db.photo_blobs.where('state').equals('uploaded').modify({ state: 'pending' })
  })
}

/**
 * Queue again what the restored server lacks. Runs when a pull has finished; the remembered rows
 * are forgotten in the same transaction, so a crash repeats it at most once (and the server
 * applies a repeated mutation of an already present row as a no-op or a duplicate).
 */
export async function refillRemembered(db: AccountDb): Promise<number> {
  const saved = (await db.meta.get(REFILL_KEY))?.value as
    { me: string; rows: Remembered[]; proofs: { id: string; window: number; token: string; scannedAt: string }[] } | undefined
  if (!saved) return 0
  let queued = 0
  const tables = ORDER.map((t) => db.table(t))
  await db.transaction('rw', [...tables, db.outbox, db.meta, db.scan_proofs, db.rejected], async () => {
    const proofs = new Map(saved.proofs.map((p) => [p.id, p]))
    /**
     * A closing or a confirmation of a row the restore lost that only another phone could send
     * back (the secretary's list, the member's record): nothing says that phone ever will, so it is
     * not left waiting in the outbox for ever. It is set aside where the user sees it (the rejected
     * list, with what they wrote), its unsent entries with it, and the row leaves the phone as the
     * fresh pull says; once the row is back the user does it again.
     */
    const setAside = async (table: WritableTable, row: Row, fields: Row, at: unknown, message: string) => {
      const rowId = String(row.id)
      const unsent = await db.outbox.where('[table+rowId]').equals([table, rowId]).sortBy('seq')
      const stamp = new Date().toISOString()
      const entries = unsent.length
        ? unsent.map(({ seq: _seq, ...m }) => m)
        : [
            {
              id: newId(),
              table,
              op: 'upsert' as const,
              rowId,
              fields,
              base: {},
              clientTime: typeof at === 'string' ? at : stamp,
              v: MUTATION_VERSION,
            },
          ]
      for (const mutation of entries)
        await db.rejected.put({ id: mutation.id, mutation, code: 'not_found', message, snapshot: { ...row }, at: stamp })
      await db.outbox.bulkDelete(unsent.map((m) => m.seq as number))
      await db.table(table).delete(rowId)
    }
    const queue = async (table: WritableTable, row: Row, fields: Row, at?: unknown) => {
      const m: Mutation = {
        id: newId(),
        table,
        op: 'upsert',
        rowId: String(row.id),
        fields,
        base: {},
        clientTime: typeof at === 'string' ? at : new Date().toISOString(),
        v: MUTATION_VERSION,
      }
      await db.outbox.add(m)
      queued++
    }
    /** A re-created row goes before this phone's unsent changes of it: they are moved behind it. */
    const queueFirst = async (table: WritableTable, row: Row, fields: Row) => {
      const later = await db.outbox
        .where('[table+rowId]')
        .equals([table, String(row.id)])
        .sortBy('seq')
      // Its creation is still unsent on this phone: that one goes, nothing to add.
      if (later.some((m) => m.op === 'upsert' && 'createdAt' in (m.fields ?? {}))) return
      await db.outbox.bulkDelete(later.map((m) => m.seq as number))
      await queue(table, row, fields)
      for (const { seq: _seq, ...m } of later) await db.outbox.add(m)
    }
    for (const { table, row, create, onServer } of saved.rows) {
      const now = (await db.table(table).get(row.id as string)) as Row | undefined
      const put = async () => {
        if (!now) await db.table(table).put(row)
      }
      switch (table) {
        case 'dues_profiles':
          // The declaration as this phone last wrote it, unless the server has it (or a later one).
          if (onServer || (now && String(now.updatedAt) >= String(row.updatedAt))) break
          await db.table(table).put(row)
          await queue(table, row, pick(row, keysOf(duesProfileFields)))
          break
        case 'dues_payments':
          if (onServer) break
          await put()
          await queueFirst(table, row, pick(row, keysOf(duesPaymentFields)))
          break
        case 'study_records':
        case 'oath_renewals':
        case 'households':
        case 'visits': {
          if (onServer) break
          const keys = keysOf(
            { study_records: studyRecordFields, oath_renewals: oathRenewalFields, households: householdFields, visits: visitFields }[table],
          )
          await put()
          await queueFirst(table, row, pick(row, keys))
          break
        }
        case 'meetings':
          if (onServer) break
          await put()
          await queueFirst(table, row, { ...pick(row, keysOf(meetingFields)), signKey: row.signKey })
          break
        case 'reminder_settings': {
          const keys = keysOf(reminderSettingsFields)
          const changed = pick(
            row,
            keys.filter((k) => JSON.stringify(row[k]) !== JSON.stringify(now?.[k])),
          )
          if (Object.keys(changed).length === 0) break
          await db.table(table).put({ ...(now ?? {}), ...row })
          await queue(table, row, changed)
          break
        }
        case 'users': {
          if (!now) break
          const changed = pick(
            row,
            ['joinedPartyOn', 'fullMemberOn'].filter((k) => row[k] !== now[k]),
          )
          if (Object.keys(changed).length === 0) break
          await db.table(table).put({ ...now, ...changed })
          await queue(table, row, changed)
          break
        }
        case 'followups':
        case 'rectifications':
          if (!onServer && create) {
            await put()
            await queueFirst(table, row, pick(row, keysOf(table === 'followups' ? followupFields : rectificationFields)))
          }
          if (!onServer && !create) {
            // The owner's closing of an item only the secretary's phone (a follow-up: only the phone
            // that recorded its visit) can list again.
            await setAside(
              table,
              row,
              { closeNote: row.closeNote },
              row.closedAt,
              table === 'rectifications'
                ? '服务器已从备份恢复，这项整改事项需由党支部书记重新列出后才能销号，销号未能保存'
                : '服务器已从备份恢复，这项待办事项需由记录走访的手机重新发送后才能办结，办结未能保存',
            )
            break
          }
          if (row.closedAt && (!now || !now.closedAt) && typeof row.closeNote === 'string' && row.closeNote.trim()) {
            await db.table(table).put({ ...(now ?? row), closedAt: row.closedAt, closeNote: row.closeNote })
            await queue(table, row, { closeNote: row.closeNote }, row.closedAt)
          }
          break
        case 'makeups':
        case 'outside_trainings':
          if (!onServer && row.memberId === saved.me) {
            await put()
            await queueFirst(table, row, pick(row, keysOf(table === 'makeups' ? makeupFields : outsideTrainingFields)))
          }
          if (!onServer && row.memberId !== saved.me && row.confirmedBy === saved.me) {
            // The secretary's confirmation of a record only its member's phone can send back.
            await setAside(
              table,
              row,
              { confirmed: true },
              row.confirmedAt,
              table === 'makeups'
                ? '服务器已从备份恢复，这条补学记录需由党员本人的手机重新发送后才能确认，确认未能保存'
                : '服务器已从备份恢复，这条培训记录需由党员本人的手机重新发送后才能确认，确认未能保存',
            )
            break
          }
          if (row.confirmedBy === saved.me && (!now || !now.confirmedBy)) await queue(table, row, { confirmed: true }, row.confirmedAt)
          break
        case 'feedback':
          if (!onServer && row.authorId === saved.me) {
            await put()
            await queueFirst(table, row, pick(row, keysOf(feedbackFields)))
          }
          if (row.answeredBy === saved.me && typeof row.answer === 'string' && row.answer && (!now || now.answer !== row.answer))
            await queue(table, row, { answer: row.answer }, row.answeredAt)
          break
        case 'review_cycles':
        case 'review_grades':
          if (onServer) break
          await put()
          await queueFirst(table, row, pick(row, keysOf(table === 'review_cycles' ? reviewCycleFields : reviewGradeFields)))
          break
        case 'review_papers':
          if (onServer) break
          await put()
          await queueFirst(table, row, { ...pick(row, ['cycleId', 'kind', 'text', 'createdAt']), handedIn: row.handedInAt !== null })
          break
        case 'attendance': {
          const base = { meetingId: row.meetingId, memberId: row.memberId }
          const before = queued
          const proof = proofs.get(String(row.id))
          const scanned = now?.method === 'scan' && now.status === 'present'
          if (row.memberId === saved.me && proof && !scanned) {
            await queue(table, row, { ...base, scan: { window: proof.window, token: proof.token, scannedAt: proof.scannedAt } })
          } else if (
            row.memberId === saved.me &&
            typeof row.leaveReason === 'string' &&
            row.leaveReason &&
            now?.leaveReason !== row.leaveReason
          ) {
            await queue(table, row, { ...base, leaveReason: row.leaveReason }, row.updatedAt)
          }
          if (
            row.markedBy === saved.me &&
            row.method === 'manual' &&
            row.status &&
            (!now || now.status !== row.status || now.method !== 'manual')
          ) {
            await queue(table, row, { ...base, status: row.status, note: row.note ?? '' })
          }
          if (!now && queued > before) await db.table(table).put(row)
          break
        }
      }
    }
    await db.meta.delete(REFILL_KEY)
  })
  return queued
}
