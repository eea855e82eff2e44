import * as v from 'valibot'
import { Uuid } from '../schemas/common.ts'
import { WRITABLE_TABLES } from './tables.ts'
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
