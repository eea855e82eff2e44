import * as v from 'valibot'
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely'
import type { Database, StudyRecordTable } from '../../db/schema.ts'
import { StudyRecordInput, studyRecordFields } from '../../../core/schemas/entities.ts'
import { WRITABLE } from '../../../core/sync/tables.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import type { Mutation } from '../../../core/sync/protocol.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { PendingSeqs } from '../../repositories/sequence.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { mergedText, parsePatch, refuseField, type GuardedWrite, type WriteBuffer } from '../table-module.ts'

const columns = {
  kind: 'kind',
  title: 'title',
  date: 'date',
  minutes: 'minutes',
  notes: 'notes',
  sourceUrl: 'source_url',
  createdAt: 'created_at',
} as const satisfies Record<keyof typeof studyRecordFields, string>

type FieldName = keyof typeof columns

export type StudyRow = Selectable<StudyRecordTable>

/** What one mutation does to a study record: the row as it then stands, and the columns it sets. */
export interface StudyChange {
  row: StudyRow
  /** The row is new: inserted whole. Otherwise only `columns` are written. */
  created: boolean
  columns: (keyof StudyRow)[]
}

/**
 * Decide what one pushed mutation of a study record does to the row as it stands (`existing`;
 * undefined when absent), without writing anything: refusals are thrown (HttpError) before any
 * effect, so a caller may apply the change later in a batch. Null: nothing changes.
 * Members write only their own records; secretaries and administrators read others' but never
 * write them. A mutation for a deleted record is refused with `deleted` (nothing is silently
 * resurrected).
 */
export function planStudyMutation(viewer: Viewer, m: Mutation, existing: StudyRow | undefined, now: string): StudyChange | null {
  if (existing && existing.owner_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的学习记录')

  if (m.op === 'delete') {
    if (existing?.deleted === 1) return null
    // A record this server does not have (lost in a restore, its owner's other phone still to send
    // it back): the delete leaves a tombstone, so it stands whatever arrives later (that phone's
    // copy is refused `deleted`), and a retry answered from the stored result tells the truth.
    if (!existing) return { row: tombstone(viewer, m.rowId, now), created: true, columns: [] }
    return { row: { ...existing, deleted: 1, seq: 0, updated_at: now }, created: false, columns: ['deleted', 'seq', 'updated_at'] }
  }

  const fields = m.fields ?? {}
  if (!existing) {
    const parsed = v.safeParse(StudyRecordInput, fields)
    if (!parsed.success) throw new HttpError(422, 'validation', issuesToMessage(parsed.issues, StudyRecordInput))
    const extra = Object.keys(fields).find((k) => !(k in columns))
    if (extra) refuseField(extra)
    const r = parsed.output
    const row: StudyRow = {
      id: m.rowId,
      owner_id: viewer.id,
      branch_id: viewer.branchId,
      org_id: viewer.orgId,
      kind: r.kind,
      title: r.title,
      date: r.date,
      minutes: r.minutes,
      notes: r.notes,
      source_url: r.sourceUrl,
      created_at: r.createdAt,
      updated_at: now,
      deleted: 0,
      seq: 0,
    }
    return { row, created: true, columns: [] }
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')

  const patch = parsePatch(studyRecordFields, fields)
  const row: StudyRow = { ...existing }
  const set: (keyof StudyRow)[] = []
  for (const [name, value] of Object.entries(patch) as [FieldName, unknown][]) {
    if (name === 'createdAt') continue // creation time is fixed by the first write
    const column = columns[name]
    if (column === 'minutes') row.minutes = value as number
    else if (column === 'kind') row.kind = patch.kind ?? row.kind
    else if ((WRITABLE.study_records.mergeText as readonly string[]).includes(name))
      row[column] = mergedText(m, name, String(existing[column]), String(value))
    else row[column] = String(value)
    if (!set.includes(column)) set.push(column)
  }
  if (set.length === 0) return null
  return { row: { ...row, updated_at: now, seq: 0 }, created: false, columns: [...set, 'updated_at', 'seq'] }
}

/** A deleted record with nothing of its content: what a delete of a record the server never had leaves. */
function tombstone(viewer: Viewer, id: string, now: string): StudyRow {
  return {
    id,
    owner_id: viewer.id,
    branch_id: viewer.branchId,
    org_id: viewer.orgId,
    kind: 'self_study',
    title: '',
    date: now.slice(0, 10),
    minutes: 0,
    notes: '',
    source_url: '',
    created_at: now,
    updated_at: now,
    deleted: 1,
    seq: 0,
  }
}

/** Write a planned change: the whole row if new, else only the columns it sets. */
export async function writeStudyChange(trx: Kysely<Database>, change: StudyChange): Promise<void> {
  if (change.created) {
    await trx.insertInto('study_records').values(change.row).execute()
    return
  }
  const set: Partial<StudyRow> = {}
  for (const c of change.columns) Object.assign(set, { [c]: change.row[c] })
  await trx.updateTable('study_records').set(set).where('id', '=', change.row.id).execute()
}

/** Rows and parameters a multi-row statement carries at most (SQLite allows 32,766 parameters, PostgreSQL 65,535). */
const ROWS_PER_INSERT = 500

/** The columns of a study record a guarded write carries (all but seq), quoted, and its JSON record's shape. */
const WRITTEN = [
  'id',
  'owner_id',
  'branch_id',
  'org_id',
  'kind',
  'title',
  'date',
  'minutes',
  'notes',
  'source_url',
  'created_at',
  'updated_at',
  'deleted',
] as const
/** What an edit may change (owner, branch, organisation and creation time are fixed at creation). */
const EDITABLE = ['kind', 'title', 'date', 'minutes', 'notes', 'source_url', 'updated_at', 'deleted'] as const
const RECORD = sql.raw(
  `"id" text, "owner_id" text, "branch_id" text, "org_id" text, "kind" text, "title" text, "date" text, "minutes" integer, ` +
    `"notes" text, "source_url" text, "created_at" text, "updated_at" text, "deleted" integer, "k" bigint, "was" bigint`,
)
const quoted = (names: readonly string[], prefix = '') => sql.raw(names.map((n) => `${prefix}"${n}"`).join(', '))

/**
 * Study-record mutations of a group commit applied in a few statements: the rows they touch are
 * read in one `select … where id in (…)`, each mutation is planned in memory against the row as
 * the batch left it (refusals have no effect), and the final state of each row is written at
 * `flush`: new rows in one multi-row insert, existing rows one update each, setting only the
 * columns the batch changed (two processes editing different fields both keep theirs).
 */
export class StudyWriteBuffer implements WriteBuffer {
  /** The row as this transaction has it (null: absent). */
  private readonly rows = new Map<string, StudyRow | null>()
  /** Changes not yet written; the row id is present in the database unless `created`. */
  private readonly pending = new Map<string, { created: boolean; columns: Set<keyof StudyRow> }>()
  /** The seq of each row as `load` read it (guardedWrites). */
  private readonly readSeq = new Map<string, number>()

  async load(trx: Kysely<Database>, ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.rows.has(id))
    for (let i = 0; i < wanted.length; i += ROWS_PER_INSERT) {
      const chunk = wanted.slice(i, i + ROWS_PER_INSERT)
      for (const id of chunk) this.rows.set(id, null)
      const found = await trx.selectFrom('study_records').selectAll().where('id', 'in', chunk).execute()
      for (const r of found) {
        this.rows.set(r.id, r)
        this.readSeq.set(r.id, Number(r.seq))
      }
    }
  }

  assumeAbsent(ids: readonly string[]): void {
    for (const id of ids) if (!this.rows.has(id)) this.rows.set(id, null)
  }

  /** Plan one mutation (throws its refusal); true when it changed the row. */
  async apply(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<boolean> {
    if (!this.rows.has(m.rowId)) await this.load(trx, [m.rowId])
    const change = planStudyMutation(viewer, m, this.rows.get(m.rowId) ?? undefined, nowIso())
    if (!change) return false
    this.rows.set(m.rowId, change.row)
    const before = this.pending.get(m.rowId)
    if (before) for (const c of change.columns) before.columns.add(c)
    else this.pending.set(m.rowId, { created: change.created, columns: new Set(change.columns) })
    seqs.mark('study_records', m.rowId)
    return true
  }

  hasPending(rowId?: string): boolean {
    return rowId === undefined ? this.pending.size > 0 : this.pending.has(rowId)
  }

  /** Write every pending change (before anything else reads these rows from the database). */
  async flush(trx: Kysely<Database>): Promise<void> {
    const inserts: StudyRow[] = []
    const updates: StudyChange[] = []
    for (const [id, p] of this.pending) {
      const row = this.rows.get(id)
      if (!row) continue
      if (p.created) inserts.push(row)
      else updates.push({ row, created: false, columns: [...p.columns] })
    }
    this.pending.clear()
    for (let i = 0; i < inserts.length; i += ROWS_PER_INSERT) {
      await trx
        .insertInto('study_records')
        .values(inserts.slice(i, i + ROWS_PER_INSERT))
        .execute()
    }
    for (const change of updates) await writeStudyChange(trx, change)
  }

  /**
   * Every pending change (WriteBuffer.guardedWrites): new rows inserted unless a row with the id
   * appeared meanwhile; edited rows locked, then written whole (kind to deleted) where their seq
   * is still the one read, so the row is exactly what the changes were planned on.
   */
  guardedWrites(positions: ReadonlyMap<string, number>, number: RawBuilder<number>, ready: RawBuilder<boolean>): GuardedWrite[] {
    const inserts: Record<string, unknown>[] = []
    const updates: Record<string, unknown>[] = []
    for (const [id, p] of this.pending) {
      const row = this.rows.get(id)
      const k = positions.get(id)
      const was = this.readSeq.get(id)
      if (!row || !k || (!p.created && was === undefined)) throw new Error(`study record ${id}: planned without a number or a read`)
      if (p.created) inserts.push({ ...row, k })
      else updates.push({ ...row, k, was })
    }
    this.pending.clear()
    const parts: GuardedWrite[] = []
    if (inserts.length)
      parts.push({
        rows: inserts.length,
        query: sql`insert into study_records (${quoted(WRITTEN)}, "seq")
          select ${quoted(WRITTEN, 'r.')}, ${number} + r."k" from json_to_recordset(${JSON.stringify(inserts)}::json) as r(${RECORD})
          where ${ready} on conflict ("id") do nothing returning "id"`,
      })
    if (updates.length)
      parts.push({
        rows: updates.length,
        lock: true,
        query: sql`select t."id" from study_records as t join json_to_recordset(${JSON.stringify(updates.map(({ id, was }) => ({ id, was })))}::json)
          as r("id" text, "was" bigint) on t."id" = r."id" and t."seq" = r."was" for update of t`,
      })
    if (updates.length)
      parts.push({
        rows: updates.length,
        query: sql`update study_records as t set ${sql.raw(EDITABLE.map((c) => `"${c}" = r."${c}"`).join(', '))}, "seq" = ${number} + r."k"
          from json_to_recordset(${JSON.stringify(updates)}::json) as r(${RECORD})
          where t."id" = r."id" and t."seq" = r."was" and ${ready} returning t."id"`,
      })
    return parts
  }
}
