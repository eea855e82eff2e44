import * as v from 'valibot'
import type { FastifyRequest } from 'fastify'
import { Uuid } from '../../core/schemas/common.ts'
import { MAX_PUSH_BATCH, type Change, type PushResult } from '../../core/sync/protocol.ts'
import { catalogueAt, parseSchemaVersion, SCHEMA_HEADER, type SchemaCatalogue, type SchemaStep } from '../../core/sync/schema-version.ts'
import { WRITABLE_TABLES, type SyncedTable } from '../../core/sync/tables.ts'
import { HttpError } from '../lib/http-error.ts'

/**
 * What the server sends and accepts by the app's schema version (docs/sync.md, "Versions"). An
 * older app gets only the tables and fields it knows; what is held back reaches it after it
 * updates (its cursor records the version it was served under, and a newer app resets). A newer
 * app's mutations of tables or fields this server does not know are refused, not crashed on.
 */
export interface ServedSchema {
  /** The version the pages are served under: the app's, at most the server's. */
  version: number
  /** The tables and their fields to send; null: everything (the app knows all this server has). */
  catalogue: SchemaCatalogue | null
}

export const serverSchemaVersion = (history: readonly SchemaStep[]): number => history.at(-1)?.version ?? 1

/** The app's schema version from its request header (an app from before the header is version 1). */
export function requestSchemaVersion(request: FastifyRequest): number {
  const version = parseSchemaVersion(request.headers[SCHEMA_HEADER])
  if (version === null) throw new HttpError(400, 'validation', '同步版本号不正确')
  return version
}

export function servedSchema(appVersion: number, history: readonly SchemaStep[]): ServedSchema {
  const server = serverSchemaVersion(history)
  return appVersion >= server ? { version: server, catalogue: null } : { version: appVersion, catalogue: catalogueAt(appVersion, history) }
}

/** The tables to read for a pull: those the app knows. */
export function servedTables(schema: ServedSchema, all: readonly SyncedTable[]): SyncedTable[] {
  const { catalogue } = schema
  return catalogue ? all.filter((t) => catalogue.pulled.has(t)) : [...all]
}

/** A change as the app knows its table: fields it does not know are left out. */
export function servedChange(schema: ServedSchema, change: Change): Change {
  const fields = schema.catalogue?.pulled.get(change.table)
  if (!fields || !change.row) return change
  return { ...change, row: Object.fromEntries(Object.entries(change.row).filter(([k]) => fields.has(k))) }
}

/** Shown with a mutation an app newer than the server wrote and this server cannot store. */
export const NEWER_APP_TEXT = '服务器版本较旧，还不能保存这一项，请联系管理员升级服务器'

function record(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/**
 * A push from an app newer than this server: its mutations of a table this server cannot write, or
 * carrying a field it does not know, are answered `unsupported_version` (nothing is recorded);
 * the others go on as usual. `merge` puts the answers back in the batch's order, stopping where
 * the server's answers stop (a partial answer stays a prefix of the batch).
 */
export function setAsideUnknown(
  body: unknown,
  history: readonly SchemaStep[],
): { body: unknown; merge(results: PushResult[]): PushResult[] } {
  const same = { body, merge: (results: PushResult[]) => results }
  if (!record(body) || !Array.isArray(body.mutations) || body.mutations.length > MAX_PUSH_BATCH) return same
  const known = catalogueAt(serverSchemaVersion(history), history)
  const writable = new Set<string>(WRITABLE_TABLES)
  const refused = new Map<number, PushResult>()
  body.mutations.forEach((m: unknown, i) => {
    if (!record(m) || !v.is(Uuid, m.id) || typeof m.table !== 'string') return
    const fields = known.written.get(m.table as SyncedTable)
    const unknownTable = !writable.has(m.table) || !fields
    const unknownField = record(m.fields) && Object.keys(m.fields).some((k) => !fields?.has(k))
    if (unknownTable || unknownField) refused.set(i, { id: m.id, status: 'rejected', code: 'unsupported_version', message: NEWER_APP_TEXT })
  })
  if (refused.size === 0) return same
  return {
    body: { ...body, mutations: body.mutations.filter((_: unknown, i) => !refused.has(i)) },
    merge(results) {
      const out: PushResult[] = []
      let next = 0
      for (let i = 0; i < (body.mutations as unknown[]).length; i++) {
        const own = refused.get(i)
        if (own) out.push(own)
        else if (next < results.length) out.push(results[next++] as PushResult)
        else break
      }
      return out
    },
  }
}
