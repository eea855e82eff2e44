import type { SYNCED_TABLES } from './tables.ts'
import type { ErrorCode } from '../errors.ts'

/**
 * The sync wire protocol (see docs/sync.md). Version of the mutation format; the server
 * accepts every version from MIN_MUTATION_VERSION up and upgrades old ones.
 */
export const MUTATION_VERSION = 1
export const MIN_MUTATION_VERSION = 1
export { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_BATCH } from './limits.ts'

export type { Mutation, PushRequest } from './protocol-schema.ts'

export type PushStatus = 'applied' | 'rejected'

export interface PushResult {
  id: string
  status: PushStatus
  /** true when the server had already processed this mutation id (a retry). */
  duplicate?: boolean
  code?: ErrorCode
  message?: string
  /** On rejection: the row as the server holds it (null if absent or not visible). */
  row?: Record<string, unknown> | null
}

export interface PushResponse {
  results: PushResult[]
  /** The database generation that stored them (servers before this field send none). */
  epoch?: string
}

export interface Change {
  table: (typeof SYNCED_TABLES)[number]
  rowId: string
  seq: number
  deleted: boolean
  /** The whole row in wire shape; null for a row deleted or no longer visible. */
  row: Record<string, unknown> | null
}

/**
 * Why a pull answers `reset`: `restored` — the cursor belongs to an earlier generation of this
 * database (restored from a backup): the phone sends back what its person wrote that the server
 * lost; `scope` — what the person may see changed; `database` — another database or a bad cursor;
 * `schema` — the app was updated and now understands tables or fields the server held back from it.
 */
export type ResetReason = 'restored' | 'scope' | 'database' | 'schema'

export interface PullResponse {
  /** true: the client's cursor cannot be honoured; drop synced rows (keep the outbox) and pull from the start. */
  reset: boolean
  /** With `reset`: why (servers before this field existed send none). */
  resetReason?: ResetReason
  cursor: string
  hasMore: boolean
  changes: Change[]
}

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
