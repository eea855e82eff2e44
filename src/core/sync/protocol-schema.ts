import * as v from 'valibot'
import { Uuid } from '../schemas/common.ts'
import { SYNCED_TABLES, WRITABLE_TABLES } from './tables.ts'
import { ERROR_MESSAGES, type ErrorCode } from '../errors.ts'
import { MAX_PULL_LIMIT, MAX_PUSH_BATCH } from './limits.ts'

/** Validation schemas of the sync messages (docs/sync.md); the types are inferred from them. */
export const Mutation = v.object({
  /** Mutation id (UUIDv7): the idempotency key. */
  id: Uuid,
  table: v.picklist(WRITABLE_TABLES, '不支持的数据表'),
  op: v.picklist(['upsert', 'delete'], '不支持的操作'),
  rowId: Uuid,
  /** upsert: the fields written (all of them for a new row). */
  fields: v.optional(v.record(v.string(), v.unknown())),
  /** upsert: the value of each mergeable text field as the writer last saw it. */
  base: v.optional(v.record(v.string(), v.unknown())),
  /** Device time, informative only: never used for ordering. */
  clientTime: v.pipe(v.string(), v.maxLength(40)),
  v: v.pipe(v.number(), v.integer()),
})
export type Mutation = v.InferOutput<typeof Mutation>

export const PushRequest = v.object({
  clientId: Uuid,
  /** The device's pull cursor: a cursor of a database restored since is answered `reset_required`. */
  cursor: v.optional(v.pipe(v.string(), v.maxLength(100))),
  /** Without a cursor (never pulled): the generation the device's last push reached. */
  epoch: v.optional(v.pipe(v.string(), v.maxLength(40))),
  mutations: v.pipe(v.array(Mutation), v.maxLength(MAX_PUSH_BATCH, `每批最多 ${MAX_PUSH_BATCH} 条`)),
})
export type PushRequest = v.InferOutput<typeof PushRequest>

export const PullQuery = v.object({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(100)), ''),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'limit 应为数字'), v.transform(Number), v.minValue(1), v.maxValue(MAX_PULL_LIMIT)),
  ),
})

const isErrorCode = (x: unknown): x is ErrorCode => typeof x === 'string' && Object.hasOwn(ERROR_MESSAGES, x)

export const PushResult = v.object({
  id: v.string(),
  status: v.picklist(['applied', 'rejected']),
  /** true when the server had already processed this mutation id (a retry). */
  duplicate: v.optional(v.boolean()),
  code: v.optional(v.custom<ErrorCode>(isErrorCode)),
  message: v.optional(v.string()),
  /** On rejection: the row as the server holds it (null if absent or not visible). */
  row: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
})

export const PushResponse = v.object({
  results: v.array(PushResult),
  /** The database generation that stored them (servers before this field send none). */
  epoch: v.optional(v.string()),
})

export const Change = v.object({
  table: v.picklist(SYNCED_TABLES),
  rowId: v.string(),
  seq: v.number(),
  deleted: v.boolean(),
  /** The whole row in wire shape; null for a row deleted or no longer visible. */
  row: v.nullable(v.record(v.string(), v.unknown())),
})

/**
 * Why a pull answers `reset`: `restored` — the cursor belongs to an earlier generation of this
 * database (restored from a backup): the phone sends back what its person wrote that the server
 * lost; `scope` — what the person may see changed; `database` — another database or a bad cursor;
 * `schema` — the app was updated and now understands tables or fields the server held back from it.
 */
export const ResetReason = v.picklist(['restored', 'scope', 'database', 'schema'])

export const PullResponse = v.object({
  /** true: the client's cursor cannot be honoured; drop synced rows (keep the outbox) and pull from the start. */
  reset: v.boolean(),
  /** With `reset`: why (servers before this field existed send none). */
  resetReason: v.optional(ResetReason),
  cursor: v.string(),
  hasMore: v.boolean(),
  changes: v.array(Change),
})
