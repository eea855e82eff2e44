import type * as v from 'valibot'
import type {
  Change as ChangeSchema,
  PullResponse as PullResponseSchema,
  PushResponse as PushResponseSchema,
  PushResult as PushResultSchema,
  ResetReason as ResetReasonSchema,
} from './protocol-schema.ts'

/**
 * The sync wire protocol (see docs/sync.md). Version of the mutation format; the server
 * accepts every version from MIN_MUTATION_VERSION up and upgrades old ones.
 */
export const MUTATION_VERSION = 1
export const MIN_MUTATION_VERSION = 1
export { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_BATCH } from './limits.ts'

export type { Mutation, PushRequest } from './protocol-schema.ts'

export type PushResult = v.InferOutput<typeof PushResultSchema>
export type PushStatus = PushResult['status']
export type PushResponse = v.InferOutput<typeof PushResponseSchema>
export type Change = v.InferOutput<typeof ChangeSchema>
export type ResetReason = v.InferOutput<typeof ResetReasonSchema>
export type PullResponse = v.InferOutput<typeof PullResponseSchema>

/**
 * Cursor = `<server epoch>:<sequence>[:<scope>[:<schema>]]`. The epoch changes when the server's
 * database is replaced; the scope when what the person may see changes (moved branch, new role);
 * the schema is the version of the tables and fields the pages were served under (1 when absent,
 * see schema-version.ts). Another epoch or scope, or an app newer than the cursor's schema, makes
 * the server answer `reset`.
 */
export function formatCursor(epoch: string, seq: number, scope = 0, schema = 1): string {
  if (schema !== 1) return `${epoch}:${seq}:${scope}:${schema}`
  return scope === 0 ? `${epoch}:${seq}` : `${epoch}:${seq}:${scope}`
}

export function parseCursor(cursor: string): { epoch: string; seq: number; scope: number; schema: number } | null {
  const m = /^([0-9a-f-]{36}):(\d{1,15})(?::(\d{1,9})(?::([1-9]\d{0,5}))?)?$/.exec(cursor)
  if (!m) return null
  return { epoch: m[1] as string, seq: Number(m[2]), scope: Number(m[3] ?? 0), schema: Number(m[4] ?? 1) }
}
