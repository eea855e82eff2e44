import * as v from 'valibot'
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Change, Mutation } from '../../core/sync/protocol.ts'
import type { SyncedRows, SyncedTable, WritableTable } from '../../core/sync/tables.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'
import { mergeText } from '../../core/sync/tables.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import type { Viewer } from '../lib/viewer.ts'
import type { PendingSeqs } from '../repositories/sequence.ts'

/** What a viewer may read of a table: a condition on its rows. */
export type Scope<T extends keyof Database> = (eb: ExpressionBuilder<Database, T>) => ReturnType<ExpressionBuilder<Database, T>['and']>

/** A row as a table's read returns it: its id and change number, and `deleted` where the table keeps tombstones. */
export interface SyncRow {
  id: string
  seq: number
  deleted?: number
}

/** Apply one pushed mutation: authorise, validate, write, and mark the rows written (seqs). */
export type Apply = (trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs) => Promise<void>

/** One synced table as its module (tables/<table>.ts) describes it. */
export interface TableSpec<K extends SyncedTable, Row extends SyncRow> {
  table: K
  /** The rows the viewer may read (the table's read scope), with the columns its wire shape needs. */
  read(db: Kysely<Database>, viewer: Viewer): SelectQueryBuilder<Database, K, Row>
  /** SQL rows → wire entities (core/schemas/entities.ts), a page at a time. */
  toWire(rows: readonly Row[], viewer: Viewer, db: Kysely<Database>): SyncedRows[K][] | Promise<SyncedRows[K][]>
}

/**
 * A table's mutations of one group commit planned in memory and written in a few statements (push,
 * batched mode): `load` reads the rows they touch at once, `apply` plans one mutation against the
 * row as the batch left it (a refusal is thrown before any effect), `flush` writes what is planned.
 */
export interface WriteBuffer {
  load(trx: Kysely<Database>, ids: readonly string[]): Promise<void>
  /** Instead of `load`: take these rows to be absent, unread (push's one-statement flush checks it when it writes). */
  assumeAbsent?(ids: readonly string[]): void
  apply(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<boolean>
  /** Changes planned and not yet written (of one row, or of any). */
  hasPending(rowId?: string): boolean
  flush(trx: Kysely<Database>): Promise<void>
  /**
   * PostgreSQL (push's one-statement flush, push.ts commitInOneStatement): what is planned, as
   * data-modifying statements that run as parts (CTEs) of the one statement that also claims the
   * mutation ids and takes the numbers. Each row written gets `number` plus its position in
   * `positions` as its seq, and is written only if it is still as `load` read it (absent, or with
   * the seq read: every committed write of a synced row takes a new number), and only when `ready`
   * (the numbers were taken). A part that writes fewer rows than it says abandons the statement.
   */
  guardedWrites?(positions: ReadonlyMap<string, number>, number: RawBuilder<number>, ready: RawBuilder<boolean>): GuardedWrite[]
}

/** One part of push's one-statement flush (WriteBuffer.guardedWrites). */
export interface GuardedWrite {
  /**
   * A statement returning one row for each row it wrote (or, `lock`, locked). A `lock` part (a
   * `select … for update` of rows to be updated) runs before the numbers are taken, so the
   * statement takes its locks in a transaction's order: ids, rows, counter.
   */
  query: RawBuilder<unknown>
  /** The rows it must write (or lock). */
  rows: number
  lock?: boolean
}

export interface WritableSpec<K extends WritableTable, Row extends SyncRow> extends TableSpec<K, Row> {
  apply: Apply
  /** A write buffer for push's batched mode; tables without one are applied a mutation at a time. */
  batch?: () => WriteBuffer
}

/** What the sync engine (pull, push) does with a table; built once from its spec by syncedTable / writableTable. */
export interface ReadModule<K extends SyncedTable> {
  table: K
  /** The viewer's changes after a sequence number, at most `limit`, in sequence order; deleted rows as tombstones. */
  changes(db: Kysely<Database>, viewer: Viewer, after: number, limit: number): Promise<Change[]>
  /** The row as the viewer may see it (a refused mutation is answered with it); null when out of scope or absent. */
  visibleRow(db: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null>
}

export interface WriteModule<K extends WritableTable> extends ReadModule<K> {
  apply: Apply
  batch?: () => WriteBuffer
}

/** A writable table must have `apply`: the registry (tables/index.ts) is typed with this. */
export type TableModule<K extends SyncedTable> = K extends WritableTable ? WriteModule<K> : ReadModule<K>

const seq = sql.ref<number>('seq')
const id = sql.ref<string>('id')

/** The generic half of every table: paging by sequence, tombstones, Change objects, the visible row. */
export function syncedTable<K extends SyncedTable, Row extends SyncRow>(spec: TableSpec<K, Row>): ReadModule<K> {
  return {
    table: spec.table,
    async changes(db, viewer, after, limit) {
      const rows = await spec.read(db, viewer).where(seq, '>', after).orderBy(seq).limit(limit).execute()
      const live = rows.filter((r) => r.deleted !== 1)
      const wire = live.length ? await spec.toWire(live, viewer, db) : []
      let next = 0
      return rows.map((r): Change => {
        const deleted = r.deleted === 1
        const row = deleted ? undefined : wire[next++]
        return { table: spec.table, rowId: r.id, seq: Number(r.seq), deleted, row: row ? { ...row } : null }
      })
    },
    async visibleRow(db, viewer, rowId) {
      const [r] = await spec.read(db, viewer).where(id, '=', rowId).execute()
      if (!r) return null
      const [row] = await spec.toWire([r], viewer, db)
      return row ? { ...row } : null
    },
  }
}

export function writableTable<K extends WritableTable, Row extends SyncRow>(spec: WritableSpec<K, Row>): WriteModule<K> {
  return { ...syncedTable(spec), apply: spec.apply, ...(spec.batch && { batch: spec.batch }) }
}

/** Parse a value with a schema or refuse it (422) with the schema's Chinese message. */
export function parse<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, value)
  if (!r.success) throw new HttpError(422, 'validation', issuesToMessage(r.issues, schema))
  return r.output
}

/** A field name a table does not know (or does not let a client write): refused with `what：name`. */
export function refuseField(key: string, what = '未知字段'): never {
  throw new HttpError(422, 'validation', `${what}：${key.slice(0, 40)}`)
}

type Fields = Record<string, v.GenericSchema>
export type Patch<F extends Fields> = Partial<{ [N in keyof F]: v.InferOutput<F[N]> }>

/** Parse each field a mutation names with its schema, in order; a name the schemas do not have is refused. */
export function parsePatch<F extends Fields>(schemas: F, fields: Record<string, unknown>, unknown = '未知字段'): Patch<F> {
  const out: Patch<F> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in schemas)) refuseField(key, unknown)
    Object.assign(out, { [key]: parse(schemas[key] as v.GenericSchema, value) })
  }
  return out
}

/** The free text a writer wants, merged with what the server holds since the writer's `base` (core's mergeText). */
export function mergedText(m: Mutation, name: string, current: string, incoming: string): string {
  const base = m.base?.[name]
  return mergeText(typeof base === 'string' ? base : undefined, current, incoming)
}

/**
 * The columns a patch sets on an existing row: each named field parsed with its schema, free
 * texts merged, lists stored as JSON (once each). Fields in `fixed` are ignored (set at creation).
 */
export function patchColumns<F extends Fields>(
  m: Mutation,
  fields: Record<string, unknown>,
  schemas: F,
  columns: Record<keyof F & string, string>,
  mergeable: readonly string[],
  existing: Record<string, unknown>,
  fixed: readonly string[] = ['createdAt'],
): Record<string, unknown> {
  const set: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in schemas)) refuseField(key)
    if (fixed.includes(key)) continue
    let out: unknown = parse(schemas[key] as v.GenericSchema, value)
    const column = columns[key as keyof F & string]
    if (mergeable.includes(key)) out = mergedText(m, key, String(existing[column]), String(out))
    set[column] = Array.isArray(out) ? JSON.stringify([...new Set(out as string[])]) : out
  }
  return set
}

const Confirm = v.strictObject({ confirmed: v.pipe(v.boolean(), v.title('确认')) })

/**
 * A secretary's confirmation of a member's record, or its withdrawal (`{ confirmed }`): 补学 and
 * 其他培训 alike. Only whoever manages the record's branch, never for their own record.
 */
export async function applyConfirmation(
  trx: Kysely<Database>,
  viewer: Viewer,
  table: 'makeups' | 'outside_trainings',
  row: { id: string; branch_id: string | null; member_id: string },
  fields: Record<string, unknown>,
  seqs: PendingSeqs,
  refusal: string,
): Promise<void> {
  if (!managesBranch(viewer, row.branch_id) || row.member_id === viewer.id) throw new HttpError(403, 'forbidden', refusal)
  const { confirmed } = parse(Confirm, fields)
  const now = nowIso()
  await trx
    .updateTable(table)
    .set(
      confirmed
        ? { confirmed_by: viewer.id, confirmed_at: now, updated_at: now, seq: 0 }
        : { confirmed_by: null, confirmed_at: null, updated_at: now, seq: 0 },
    )
    .where('id', '=', row.id)
    .execute()
  seqs.mark(table, row.id)
}
