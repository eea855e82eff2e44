import type { Kysely } from 'kysely'
import type { Database } from './db/schema.ts'
import type { Dialect } from './db/connection.ts'

/** What routes need from the app: passed explicitly, no globals (several processes may share one database). */
export interface AppContext {
  db: Kysely<Database>
  dialect: Dialect
  epoch: string
  version: string
  secureCookies: boolean
  /** Login attempts allowed per minute for one address and account. */
  loginAttemptsPerMinute: number
}
