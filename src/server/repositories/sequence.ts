import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { WritableTable } from '../../core/sync/tables.ts'

/**
 * Next value of the server's change sequence, taken inside the writing transaction. Taking it
 * locks the counter row until commit, so numbers become visible in the order they were taken:
 * a pull never passes a number whose row is not yet committed (PostgreSQL included).
 * For rare writes (setup, administration); sync writes use PendingSeqs.
 */
export async function nextSeq(trx: Kysely<Database>): Promise<number> {
  return takeSeqs(trx, 1)
}

async function takeSeqs(trx: Kysely<Database>, n: number): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('name', '=', 'seq')
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value) - n + 1
}

/** The tables sync writes: exactly those a client may push to. */
type SeqTable = WritableTable

/**
 * Rows a sync transaction wrote, numbered in ONE step just before commit. The counter row is
 * then locked only for that step and the commit, not for the whole batch: concurrent writers
 * (other processes on PostgreSQL) wait for a few milliseconds instead of a whole batch, and the
 * numbers still become visible in commit order.
 * Rows are written with seq 0 meanwhile; nobody else can see them before the commit.
 */
export class PendingSeqs {
  private readonly rows = new Map<string, { table: SeqTable; id: string }>()

  /** Record a written row; writing it again moves it to the end. */
  mark(table: SeqTable, id: string): void {
    const key = `${table}/${id}`
    this.rows.delete(key)
    this.rows.set(key, { table, id })
  }

  /** How many rows are marked: the numbers the transaction takes. */
  get size(): number {
    return this.rows.size
  }

  /**
   * Where each marked row of `table` stands in numbering order (1 for the first row the
   * transaction marked, of any table): its number is the counter's value before the numbering
   * plus this. For a flush that numbers its rows in its own statement (push.ts, commitInOneStatement).
   */
  positions(table: SeqTable): Map<string, number> {
    const out = new Map<string, number>()
    let i = 0
    for (const row of this.rows.values()) {
      i++
      if (row.table === table) out.set(row.id, i)
    }
    return out
  }

  async assign(trx: Kysely<Database>): Promise<void> {
    if (this.rows.size === 0) return
    let next = await takeSeqs(trx, this.rows.size)
    const byTable = new Map<SeqTable, { id: string; seq: number }[]>()
    for (const { table, id } of this.rows.values()) {
      const list = byTable.get(table) ?? []
      list.push({ id, seq: next++ })
      byTable.set(table, list)
    }
    for (const [table, list] of byTable) {
      for (let i = 0; i < list.length; i += 500) {
        const chunk = list.slice(i, i + 500)
        const cases = sql.join(
          chunk.map((r) => sql`when ${r.id} then cast(${r.seq} as bigint)`),
          sql` `,
        )
        await sql`update ${sql.table(table)} set seq = case id ${cases} end where id in (${sql.join(chunk.map((r) => r.id))})`.execute(trx)
      }
    }
    this.rows.clear()
  }
}
