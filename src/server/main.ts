import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openDatabase } from './db/connection.ts'
import { buildApp } from './app.ts'
import { createContext } from './context.ts'
import { countUsers } from './repositories/users.ts'
import { seedDemo, DEMO_ACCOUNTS, DEMO_PASSWORD } from './ops/demo-seed.ts'
import { DEFAULT_PUSH_HOSTS } from './services/push/web-push.ts'
import { scheduleReminders } from './services/reminders/job.ts'
import { channelConfigFromEnv } from './services/reminders/channels/index.ts'
import { SERVER_LOCK } from './ops/backup.ts'
import { ConfigError, securityFromEnv } from './lib/security-config.ts'
import { scheduleAuditRetention } from './services/security/audit-retention.ts'
import { scheduleRetention } from './services/retention/job.ts'
import { retentionFromEnv } from '../core/domain/retention.ts'

const env = process.env
const port = Number(env.PORT ?? 8080)
const host = env.HOST ?? '0.0.0.0'
const dataDir = resolve(env.DATA_DIR ?? './data')
const clientDir = resolve(env.CLIENT_DIR ?? './dist/client')
const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }

// Security settings are checked before anything starts: a retention under six months stops here with the reason.
let security
try {
  security = securityFromEnv(env)
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(`\n  无法启动：${err.message}\n`)
  process.exit(1)
}

const handle = await openDatabase({ dataDir, databaseUrl: env.DATABASE_URL })
// `npm run restore` refuses to replace the database under a running server.
const lock = join(dataDir, SERVER_LOCK)
writeFileSync(lock, String(process.pid))
const pushHosts = [
  ...DEFAULT_PUSH_HOSTS,
  ...(env.PUSH_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean),
]
const ctx = createContext(handle, {
  version: pkg.version,
  secureCookies: env.COOKIE_SECURE === '1',
  push: { hosts: pushHosts, subject: env.VAPID_SUBJECT },
  // 企业微信 / 政务微信 and SMS: each off unless configured (README, "Reminder channels").
  channels: channelConfigFromEnv(env),
  photoDir: resolve(dataDir, 'photos'),
  security,
  retention: retentionFromEnv(env),
  env,
})
const app = await buildApp({
  ctx,
  clientDir,
  logger: { level: env.LOG_LEVEL ?? 'info', redact: ['req.headers.cookie', 'res.headers["set-cookie"]'] },
  trustProxy: env.TRUST_PROXY === '1',
})

if (env.DEMO === '1' && (await countUsers(handle.db)) === 0) {
  await seedDemo(handle.db)
  app.log.info({ accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD }, 'demo organisation seeded')
}

// Political birthday greetings and the other reminders, by Web Push, 企业微信 and SMS (core/domain/reminders.ts).
const reminders = env.REMINDERS === '0' ? null : scheduleReminders(handle.db, ctx.push, app.log, ctx.channels)

// Audit entries older than AUDIT_RETENTION_DAYS (at least 180) are deleted daily (every process may run it: a delete is idempotent).
const auditRetention = scheduleAuditRetention(handle.db, security.auditRetentionDays, app.log)
// Retention (core/domain/retention.ts): expired visit photos and 投诉建议 go, once a day.
const retention = env.RETENTION_JOB === '0' ? null : scheduleRetention(ctx, app.log)

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  const started = Date.now()
  // Requests in flight are answered, new ones get 503; close is bounded (plugins/closing.ts).
  auditRetention.stop()
  await Promise.all([reminders?.stop(), app.close()])
  await Promise.all([reminders?.stop(), retention?.stop(), app.close()])
  app.log.info({ ms: Date.now() - started }, 'closed')
  await handle.close()
  rmSync(lock, { force: true })
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

await app.listen({ port, host })
console.log(`\n  党建随行 running at http://localhost:${port}/  (data: ${handle.dialect === 'sqlite' ? dataDir : 'PostgreSQL'})\n`)
