import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from './db/schema.ts'
import type { DbHandle, Dialect } from './db/connection.ts'
import type { HighWater } from './db/restore-generation.ts'
import { groupCommitPusher, type Pusher } from './sync/push.ts'
import { webPushService, type PushOptions, type PushService } from './services/push/web-push.ts'
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './lib/attempt-limits.ts'
import { StorageState } from './lib/storage.ts'
import { DEFAULT_SECURITY, type SecurityOptions } from './lib/security-config.ts'
import { SCHEMA_HISTORY, type SchemaStep } from '../core/sync/schema-version.ts'

/** What routes need from the app: passed explicitly, no globals (several processes may share one database). */
export interface AppContext {
  db: Kysely<Database>
  /** Reads that must not queue behind writes (see DbHandle.read). */
  read: Kysely<Database>
  dialect: Dialect
  epoch: string
  /** Epochs of this database before restores (see db/restore-generation.ts). */
  previousEpochs: ReadonlySet<string>
  highWater: HighWater
  version: string
  secureCookies: boolean
  /** Login and activation attempts allowed per account and per address (counted in the database). */
  loginLimits: LoginLimits
  /** How pushed mutations reach the database (group commit). */
  pusher: Pusher
  /** Web Push (VAPID keys kept in the database). */
  push: PushService
  /** Where visit photos are stored (DATA_DIR/photos; shared by all processes). */
  photoDir: string
  /** Whether the last write failed for lack of space (answered 507; /api/health says degraded). */
  storage: StorageState
  /** The synced tables and fields of each app version (core/sync/schema-version.ts; tests pass a later one). */
  schemaHistory: readonly SchemaStep[]
  /** Two-factor login, the managers' idle timeout, audit retention (lib/security-config.ts). */
  security: SecurityOptions
  /** The server's environment, for the 备案 sheet (ops/compliance-sheet.ts). */
  env: Readonly<Record<string, string | undefined>>
}

export interface ContextOptions {
  version: string
  secureCookies?: boolean
  loginLimits?: Partial<LoginLimits>
  push?: PushOptions
  photoDir?: string
  schemaHistory?: readonly SchemaStep[]
  security?: Partial<SecurityOptions>
  env?: Readonly<Record<string, string | undefined>>
}

export function createContext(handle: DbHandle, opts: ContextOptions): AppContext {
  const storage = new StorageState()
  return {
    db: handle.db,
    read: handle.read,
    dialect: handle.dialect,
    epoch: handle.epoch,
    previousEpochs: handle.previousEpochs,
    highWater: handle.highWater,
    version: opts.version,
    secureCookies: opts.secureCookies ?? false,
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, ...opts.loginLimits },
    pusher: groupCommitPusher(handle.db, storage),
    push: webPushService(handle.db, opts.push),
    photoDir: opts.photoDir ?? join(tmpdir(), 'suixing-photos'),
    storage,
    schemaHistory: opts.schemaHistory ?? SCHEMA_HISTORY,
    security: { ...DEFAULT_SECURITY, ...opts.security },
    env: opts.env ?? {},
  }
}
