import { createHash } from 'node:crypto'
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely'
import type { Database } from './schema.ts'

/**
 * Statements run on nearly every request (the session lookup, the push's one-statement flush).
 * On PostgreSQL each is sent as a named statement (db/connection.ts), parsed and planned once per
 * connection rather than on every run: planning the session lookup's join cost PostgreSQL more
 * than running it. Keyed by the exact text; every other statement is sent unnamed, as before.
 * Bounded: a statement whose text varies without end (a list of values inlined) is never named.
 */
const names = new Map<string, string>()
/** More distinct hot texts than this and the newer ones run unnamed (each name holds a plan in every connection). */
export const MAX_HOT_STATEMENTS = 64

/** This text is run often: name it. The name changes with the text, so one name never has two texts. */
export function markHot(label: string, text: string): void {
  if (names.has(text) || names.size >= MAX_HOT_STATEMENTS) return
  names.set(text, `sx_${label}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`)
}

/** The name to prepare `text` under, or undefined to send it unnamed. */
export const statementName = (text: string): string | undefined => names.get(text)

/** Run an already compiled query as a hot statement. */
export function executeHot<O>(db: Kysely<Database>, label: string, compiled: CompiledQuery<O>): Promise<QueryResult<O>> {
  markHot(label, compiled.sql)
  return db.executeQuery(compiled)
}

const sameValues = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i])

/**
 * A hot query built and compiled once per database, then run with new values: no query building
 * per request, and a named statement on PostgreSQL. `build` must use its arguments as the query's
 * only parameters, in order (checked when it is first compiled): each call sends its own.
 */
export function hotQuery<P extends readonly unknown[], O>(
  label: string,
  build: (db: Kysely<Database>, ...params: P) => Compilable<O>,
): (db: Kysely<Database>, ...params: P) => Promise<O[]> {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<O>>()
  return async (db, ...params) => {
    let query = compiled.get(db)
    if (!query) {
      query = build(db, ...params).compile()
      if (!sameValues(query.parameters, params)) throw new Error(`hot query ${label}: its parameters must be its arguments, in order`)
      compiled.set(db, query)
    }
    return (await executeHot<O>(db, label, { ...query, parameters: params })).rows
  }
}
