import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Mutation } from '../../../core/sync/protocol.ts'
import { nowIso } from '../../lib/time.ts'
import type { PendingSeqs } from '../../repositories/sequence.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { planStudyMutation, writeStudyChange, type StudyChange, type StudyRow } from './study-records.ts'

/** Rows and parameters a multi-row statement carries at most (SQLite allows 32,766 parameters, PostgreSQL 65,535). */
const ROWS_PER_INSERT = 500

/**
 * Study-record mutations of a group commit applied in a few statements: the rows they touch are
 * read in one `select … where id in (…)`, each mutation is planned in memory against the row as
 * the batch left it (refusals have no effect), and the final state of each row is written at
 * `flush`: new rows in one multi-row insert, existing rows one update each, setting only the
 * columns the batch changed (two processes editing different fields both keep theirs).
 */
export class StudyWriteBuffer {
  /** The row as this transaction has it (null: absent). */
  private readonly rows = new Map<string, StudyRow | null>()
  /** Changes not yet written; the row id is present in the database unless `created`. */
  private readonly pending = new Map<string, { created: boolean; columns: Set<keyof StudyRow> }>()

  async load(trx: Kysely<Database>, ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.rows.has(id))
    for (let i = 0; i < wanted.length; i += ROWS_PER_INSERT) {
      const chunk = wanted.slice(i, i + ROWS_PER_INSERT)
      for (const id of chunk) this.rows.set(id, null)
      const found = await trx.selectFrom('study_records').selectAll().where('id', 'in', chunk).execute()
      for (const r of found) this.rows.set(r.id, r)
    }
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
}
