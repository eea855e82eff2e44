import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type * as v from 'valibot'
import { startServer, type TestServer } from './harness.ts'
import { complianceSections, complianceSheet, THIRD_PARTIES } from '../../src/server/ops/compliance-sheet.ts'
import { DATA_PURPOSES, INTERNAL_TABLES, SERVER_STORES } from '../../src/core/compliance/data-purposes.ts'
import { APP_FUNCTIONS } from '../../src/core/compliance/app-functions.ts'
import { SYNCED_TABLES, type SyncedTable } from '../../src/core/sync/tables.ts'
import * as entities from '../../src/core/schemas/entities.ts'
import * as review from '../../src/core/schemas/review.ts'

/**
 * The 备案 / 等保 data sheet: generated from code and configuration, with a purpose for every
 * synced field and every table the database holds, and backed by the checks its statements rely
 * on (no clock-in, points, online-time or ranking feature anywhere in the routes or the data).
 */
let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** Each synced table's wire schema (a table added without one here does not compile). */
const SCHEMAS: Record<SyncedTable, v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>> = {
  branches: entities.Branch,
  users: entities.UserProfile,
  study_records: entities.StudyRecord,
  oath_renewals: entities.OathRenewal,
  reminder_settings: entities.ReminderSettings,
  meetings: entities.Meeting,
  attendance: entities.Attendance,
  makeups: entities.Makeup,
  households: entities.Household,
  visits: entities.Visit,
  followups: entities.Followup,
  feedback: entities.Feedback,
  dues_profiles: entities.DuesProfile,
  dues_payments: entities.DuesPayment,
  outside_trainings: entities.OutsideTraining,
  rectifications: entities.Rectification,
  review_cycles: review.ReviewCycle,
  review_papers: review.ReviewPaper,
  review_grades: review.ReviewGrade,
}

async function databaseTables(): Promise<string[]> {
  const db = server.handle.db
  const rows =
    server.handle.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  return rows.rows.map((r) => r.name).sort()
}

async function columns(tableName: string): Promise<string[]> {
  const db = server.handle.db
  const rows =
    server.handle.dialect === 'postgres'
      ? await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = ${tableName}`.execute(db)
      : await sql<{ name: string }>`select name from pragma_table_info(${tableName})`.execute(db)
  return rows.rows.map((r) => r.name)
}

describe('the purposes of the data', () => {
  it('cover every field of every synced table, and only those', () => {
    for (const t of SYNCED_TABLES) {
      expect(Object.keys(DATA_PURPOSES[t].fields).sort(), t).toEqual(Object.keys(SCHEMAS[t].entries).sort())
      for (const text of Object.values(DATA_PURPOSES[t].fields)) expect(String(text).length, t).toBeGreaterThan(1)
      expect(DATA_PURPOSES[t].purpose.length).toBeGreaterThan(4)
    }
  })

  it('account for every table of the database: synced, kept on the server with its purpose, or internal', async () => {
    const tables = await databaseTables()
    const accounted = new Set([...SYNCED_TABLES, ...Object.keys(SERVER_STORES), ...Object.keys(INTERNAL_TABLES)])
    expect(tables.filter((t) => !accounted.has(t))).toEqual([])
    for (const t of Object.keys(SERVER_STORES)) expect(tables, t).toContain(t)
  })
})

/** What a clock-in, points, online-time or ranking feature would be called somewhere. */
const FORBIDDEN =
  /rank|leaderboard|(?<![a-z])points?(?![a-z])|score|check_?in|clock_?in|online_?(time|seconds|minutes)|time_?online|积分|排名|排行|打卡|在线时长/i

describe('no compulsory clock-in, points, online-time tracking or ranking', () => {
  it('in no API route, page, synced field or database column', async () => {
    const routes = server.app.apiRoutes.filter((r) => r.includes(' /api/'))
    expect(routes.length).toBeGreaterThan(40)
    expect(routes.filter((r) => FORBIDDEN.test(r))).toEqual([])
    const pages = APP_FUNCTIONS.flatMap((f) => f.paths)
    expect(pages.filter((p) => FORBIDDEN.test(p))).toEqual([])
    const fields = SYNCED_TABLES.flatMap((t) => Object.keys(SCHEMAS[t].entries).map((f) => `${t}.${f}`))
    expect(fields.filter((f) => FORBIDDEN.test(f))).toEqual([])
    const cols: string[] = []
    for (const t of await databaseTables()) for (const c of await columns(t)) cols.push(`${t}.${c}`)
    expect(cols.length).toBeGreaterThan(100)
    expect(cols.filter((c) => FORBIDDEN.test(c))).toEqual([])
  })
})

describe('the sheet', () => {
  const env = {
    DATABASE_URL: 'postgres://suixing:very-secret@db.example.gov.cn:5433/suixing',
    PUSH_HOSTS: 'push.example.cn',
    AUDIT_RETENTION_DAYS: '365',
    ADMIN_IDLE_MINUTES: '20',
    SMS_ACCESS_KEY_ID: 'x',
  }

  it('has every section, generated from the code and the configuration', () => {
    const sections = complianceSections({ env, version: '9.9.9' })
    expect(sections.map((s) => s.title)).toEqual([
      '一、应用基本信息',
      '二、功能清单',
      '三、收集的数据项及用途',
      '四、数据存储位置',
      '五、运行时连接的第三方',
      '六、保存期限',
      '七、身份鉴别与访问控制',
      '八、关于打卡、积分、在线时长与排名的说明',
    ])
    const sheet = complianceSheet({ env, version: '9.9.9' })
    expect(sheet).toContain('| 版本 | 9.9.9 |')
    for (const f of APP_FUNCTIONS) expect(sheet).toContain(`| ${f.name} |`)
    for (const t of SYNCED_TABLES) {
      expect(sheet).toContain(`（${t}）`)
      for (const field of Object.keys(DATA_PURPOSES[t].fields)) expect(sheet).toContain(`| ${field} |`)
    }
    for (const t of Object.keys(SERVER_STORES)) expect(sheet).toContain(`（${t}）`)
    // Where: the database host, never its password.
    expect(sheet).toContain('PostgreSQL：db.example.gov.cn:5433，数据库 suixing')
    expect(sheet).not.toContain('very-secret')
    // Third parties: the push services and the extra host; an unlisted channel's configuration is pointed out.
    expect(sheet).toContain('*.push.apple.com')
    expect(sheet).toContain('push.example.cn')
    expect(sheet).toContain('未登记在本表中，请补充说明：SMS_ACCESS_KEY_ID')
    // Retention and authentication from the configuration.
    expect(sheet).toContain('365 天（不少于 180 天）')
    expect(sheet).toContain('20 分钟无管理操作')
    expect(sheet).toContain('管理员必须使用')
    expect(complianceSheet({ env: { ADMIN_2FA: 'optional' }, version: '1' })).toContain('ADMIN_2FA=optional')
    expect(complianceSheet({ env: {}, version: '1' })).toContain('SQLite')
    expect(complianceSheet({ env: {}, version: '1' })).toContain('除上表外，服务器不连接任何外部服务')
  })

  it('adds a channel by one line of THIRD_PARTIES, listed when its configuration is present', () => {
    expect(THIRD_PARTIES.every((t) => t.name && t.data)).toBe(true)
  })

  it('refuses a configuration the server would refuse (a retention under six months)', () => {
    expect(() => complianceSheet({ env: { AUDIT_RETENTION_DAYS: '30' }, version: '1' })).toThrow(/至少保存 180 天/)
  })

  it('is downloaded by an administrator from the running server (audited)', async () => {
    const { seedOrg, signIn } = await import('./harness.ts')
    const org = await seedOrg(server.handle)
    const admin = await signIn(server, org.admin.phone)
    const res = await admin(`${server.url}/api/admin/compliance-sheet`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/markdown')
    expect(await res.text()).toMatch(/^# 党建随行 备案与等级保护资料表/)
    const entry = await server.handle.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'export_compliance_sheet')
      .execute()
    expect(entry).toEqual([{ actor_id: org.admin.id }])
  })

  it('is written by npm run compliance-sheet', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'suixing-sheet-')), 'sheet.md')
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/ops/cli.ts', 'compliance-sheet', out], {
      env: { ...process.env, DATA_DIR: '/srv/suixing', DATABASE_URL: '' },
      encoding: 'utf8',
    })
    expect(r.status, r.stderr).toBe(0)
    const sheet = readFileSync(out, 'utf8')
    expect(sheet).toMatch(/^# 党建随行 备案与等级保护资料表/)
    expect(sheet).toContain('/srv/suixing/suixing.sqlite')
  })
})
