import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from './db/schema.ts'
import type { DbHandle, Dialect } from './db/connection.ts'
import type { HighWater } from './db/restore-generation.ts'
import { groupCommitPusher, type Pusher } from './sync/push.ts'
import { SessionCache } from './repositories/session-cache.ts'
import { webPushService, type PushOptions, type PushService } from './services/push/web-push.ts'
import { organChannels, type ChannelConfig, type OrganChannels } from './services/reminders/channels/index.ts'
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './lib/attempt-limits.ts'
import { StorageState } from './lib/storage.ts'
import { DEFAULT_SECURITY, type SecurityOptions } from './lib/security-config.ts'
import { SCHEMA_HISTORY, type SchemaStep } from '../core/sync/schema-version.ts'
import { DEFAULT_RETENTION, type Retention } from '../core/domain/retention.ts'

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
  /** PostgreSQL: the sessions a push may go on with until its write checks them (repositories/session-cache.ts); null on SQLite. */
  sessionCache: SessionCache | null
  /** Web Push (VAPID keys kept in the database). */
  push: PushService
  /** The reminder channels this organ configured besides Web Push (企业微信 / 政务微信, SMS). */
  channels: OrganChannels
  /** Where visit photos are stored (DATA_DIR/photos; shared by all processes). */
  photoDir: string
  /** Whether the last write failed for lack of space (answered 507; /api/health says degraded). */
  storage: StorageState
  /** The synced tables and fields of each app version (core/sync/schema-version.ts; tests pass a later one). */
  schemaHistory: readonly SchemaStep[]
  /** Two-factor login, the managers' idle timeout, audit retention (lib/security-config.ts). */
  security: SecurityOptions
  /** How long each kind of data is kept (core/domain/retention.ts; RETENTION_* in the environment). */
  retention: Retention
  /** The server's environment, for the 备案 sheet (ops/compliance-sheet.ts). */
  env: Readonly<Record<string, string | undefined>>
}

export interface ContextOptions {
  version: string
  secureCookies?: boolean
  loginLimits?: Partial<LoginLimits>
  push?: PushOptions
  /** 企业微信 / 政务微信 and SMS (services/reminders/channels): none unless configured. */
  channels?: ChannelConfig
  photoDir?: string
  schemaHistory?: readonly SchemaStep[]
  security?: Partial<SecurityOptions>
  retention?: Retention
  env?: Readonly<Record<string, string | undefined>>
}

export function createContext(handle: DbHandle, opts: ContextOptions): AppContext {
  const storage = new StorageState()
  // SQLite looks a session up in process in microseconds; PostgreSQL's round trip is worth saving on the push.
  const sessionCache = handle.dialect === 'postgres' ? new SessionCache() : null
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
    pusher: groupCommitPusher(handle.db, storage, {
      oneStatement: handle.dialect === 'postgres',
      ...(sessionCache ? { sessions: { read: handle.read, cache: sessionCache } } : {}),
    }),
    sessionCache,
    push: webPushService(handle.db, opts.push),
    channels: organChannels(opts.channels ?? {}, {
      // A WeCom user id found by the member's phone is kept, so it is looked up once.
      remember: async (userId, wecomUserId) => {
        await handle.db.updateTable('users').set({ wecom_userid: wecomUserId }).where('id', '=', userId).execute()
      },
    }),
    photoDir: opts.photoDir ?? join(tmpdir(), 'suixing-photos'),
    storage,
    schemaHistory: opts.schemaHistory ?? SCHEMA_HISTORY,
    security: { ...DEFAULT_SECURITY, ...opts.security },
    retention: opts.retention ?? DEFAULT_RETENTION,
    env: opts.env ?? {},
  }
}
