import { afterAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { PASSWORD, startServer, type TestServer } from './harness.ts'
import { currentCode } from '../../src/server/services/security/two-factor.ts'
import { pruneAuditLog } from '../../src/server/services/security/audit-retention.ts'
import { createBranch, createUser } from '../../src/server/repositories/organization.ts'
import { hashPassword } from '../../src/server/lib/passwords.ts'
import { newId } from '../../src/core/ids.ts'
import { ConfigError, securityFromEnv } from '../../src/server/lib/security-config.ts'

/**
 * The audit log as a 等保 assessor asks for it: the events of the list below are all written (a
 * kind never written fails here), the log is exported by date range as xlsx and CSV, and entries
 * older than the retention (never under six months) are deleted by the daily job.
 */

/** The events an assessor asks for: logins and failures, two-factor login, permissions, exports, deletions, configuration. */
const REQUIRED_EVENTS = [
  'setup',
  'login',
  'login_failed',
  'two_factor_enrol',
  'two_factor_failed',
  'two_factor_reset',
  'recovery_code_used',
  'person_role',
  'person_remove',
  'sessions_revoke',
  'export_ledger',
  'export_personal',
  'export_audit',
  'rules_update',
  'audit_retention',
] as const

const servers: TestServer[] = []
afterAll(async () => {
  for (const s of servers) await s.close()
})

let now = Date.now()
const clock = () => now

function browser(server: TestServer) {
  let cookie = ''
  const call = async (method: 'GET' | 'POST', url: string, payload: object = {}) => {
    const res = await server.app.inject({ method, url, ...(method === 'POST' && { payload }), headers: cookie ? { cookie } : {} })
    const set = res.cookies.find((c) => c.name === 'sx_session')
    if (set) cookie = set.value ? `sx_session=${set.value}` : ''
    return res
  }
  return { get: (url: string) => call('GET', url), post: (url: string, payload?: object) => call('POST', url, payload) }
}

describe('the audit log', () => {
  let server: TestServer
  let orgId = ''

  it('records every event kind an assessor asks for', async () => {
    server = await startServer({ security: { requireAdminTwoFactor: true, clock } })
    servers.push(server)
    const admin = browser(server)
    const setup = await admin.post('/api/setup', {
      orgName: '审计测试机关党委',
      adminName: '甲管理',
      phone: '13700000001',
      password: 'Setup-pass-1',
    })
    expect(setup.statusCode).toBe(200)
    orgId = (setup.json() as { user: { orgId: string; id: string } }).user.orgId
    const adminId = (setup.json() as { user: { id: string } }).user.id
    const secret = String((await admin.post('/api/me/two-factor/start')).json().secret)
    const { recoveryCodes } = (await admin.post('/api/me/two-factor/confirm', { code: currentCode(secret, now) })).json() as {
      recoveryCodes: string[]
    }

    const hash = await hashPassword(PASSWORD)
    const { branch, member, admin2 } = await server.handle.db.transaction().execute(async (trx) => {
      const branch = await createBranch(trx, orgId, '第一党支部')
      return {
        branch,
        member: await createUser(trx, {
          orgId,
          branchId: branch,
          name: '乙党员',
          phone: '13700000002',
          role: 'member',
          passwordHash: hash,
        }),
        admin2: await createUser(trx, { orgId, branchId: null, name: '丙管理', phone: '13700000003', role: 'admin', passwordHash: hash }),
      }
    })
    // A failed login of an account and of none; a wrong code; a recovery code.
    const other = browser(server)
    expect((await other.post('/api/auth/login', { phone: '13700000002', password: 'wrong-password' })).statusCode).toBe(401)
    expect((await other.post('/api/auth/login', { phone: '13799999999', password: 'wrong-password' })).statusCode).toBe(401)
    const again = browser(server)
    const { ticket } = (await again.post('/api/auth/login', { phone: '13700000001', password: 'Setup-pass-1' })).json().twoFactor as {
      ticket: string
    }
    expect((await again.post('/api/auth/login/verify', { ticket, code: 'aaaaa-aaaaa' })).statusCode).toBe(401)
    expect((await again.post('/api/auth/login/verify', { ticket, code: recoveryCodes[0] })).statusCode).toBe(200)
    // Permissions, configuration, exports, deletions.
    expect((await again.post(`/api/admin/people/${member}/role`, { role: 'secretary' })).statusCode).toBe(200)
    expect((await again.post('/api/admin/rules', { rules: null })).statusCode).toBe(200)
    expect((await again.get(`/api/ledger/${branch}/2026.xlsx`)).statusCode).toBe(200)
    expect((await again.get('/api/me/export')).statusCode).toBe(200)
    expect((await again.post('/api/me/sessions/revoke-others')).statusCode).toBe(200)
    // The second administrator enrols and resets the first one's two-factor login.
    const second = browser(server)
    await second.post('/api/auth/login', { phone: '13700000003', password: PASSWORD })
    const s2 = String((await second.post('/api/me/two-factor/start')).json().secret)
    await second.post('/api/me/two-factor/confirm', { code: currentCode(s2, now) })
    expect((await second.post(`/api/admin/people/${adminId}/two-factor/reset`)).statusCode).toBe(200)
    expect((await second.post(`/api/admin/people/${member}/remove`, { reason: 'left', date: '2026-11-28' })).statusCode).toBe(200)
    expect((await second.get('/api/admin/audit/export?from=2026-01-01&to=2030-12-31&format=csv')).statusCode).toBe(200)
    // An entry past the retention, and the daily job.
    await server.handle.db
      .insertInto('audit_log')
      .values({
        id: newId(),
        org_id: orgId,
        actor_id: admin2,
        action: 'login',
        target_id: null,
        summary: '很久以前',
        detail: '{}',
        device: '',
        ip: '',
        at: new Date(now - 400 * 86_400_000).toISOString(),
      })
      .execute()
    expect(await pruneAuditLog(server.handle.db, 180, now)).toBe(1)

    const written = new Set(
      (await server.handle.db.selectFrom('audit_log').select('action').where('org_id', '=', orgId).execute()).map((r) => r.action),
    )
    const missing = REQUIRED_EVENTS.filter((e) => !written.has(e))
    expect(missing).toEqual([])
    // The failed login of an account that does not exist is recorded too, without its full number.
    const unknown = await server.handle.db
      .selectFrom('audit_log')
      .select(['actor_id', 'summary'])
      .where('action', '=', 'login_failed')
      .execute()
    expect(unknown.map((u) => u.summary)).toContain('登录失败：137****9999')
    expect(JSON.stringify(unknown)).not.toContain('13799999999')
  })

  it('exports a date range as xlsx and CSV, with every field an assessor reads', async () => {
    const s2row = await server.handle.db.selectFrom('users').select('id').where('phone', '=', '13700000003').executeTakeFirstOrThrow()
    const admin = await signInEnrolled(server, '13700000003')
    // Entries on two China dates: 2026-03-01 23:30 (UTC 15:30) and 2026-03-02 00:30 (UTC 2026-03-01 16:30).
    const [a, c] = [newId(), newId()]
    const actor = s2row.id
    await server.handle.db
      .insertInto('audit_log')
      .values([
        {
          id: a,
          org_id: orgId,
          actor_id: actor,
          action: 'person_role',
          target_id: null,
          summary: '三月一日的事',
          detail: '{}',
          device: 'UA',
          ip: '10.0.0.1',
          at: '2026-03-01T15:30:00.000Z',
        },
        {
          id: c,
          org_id: orgId,
          actor_id: actor,
          action: 'person_remove',
          target_id: null,
          summary: '=SUM(A1) 三月二日的事',
          detail: '{}',
          device: 'UA',
          ip: '10.0.0.2',
          at: '2026-03-01T16:30:00.000Z',
        },
      ])
      .execute()
    const csv = await admin.get('/api/admin/audit/export?from=2026-03-02&to=2026-03-02&format=csv')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('时间（北京时间）,操作人,操作人手机号,事件,事件代码,内容,IP 地址,设备,对象编号')
    expect(lines).toHaveLength(2)
    expect(lines[1]?.startsWith('2026-03-02 00:30:00,丙管理,13700000003,移除人员,person_remove,')).toBe(true)
    expect(lines[1]).toContain('移除人员')
    // A cell that a spreadsheet would run as a formula is quoted as text.
    expect(lines[1]).toContain(`"'=SUM(A1) 三月二日的事"`)
    const xlsx = await admin.get('/api/admin/audit/export?from=2026-03-01&to=2026-03-02')
    expect(xlsx.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet('审计日志')
    expect(sheet?.getRow(1).getCell(1).value).toBe('审计日志 2026-03-01 至 2026-03-02')
    expect(sheet?.getRow(3).getCell(6).value).toBe('三月一日的事')
    expect(sheet?.getRow(4).getCell(7).value).toBe('10.0.0.2')
    expect(sheet?.rowCount).toBe(4)
    const bad = await admin.get('/api/admin/audit/export?from=2026-03-02&to=2026-03-01')
    expect(bad.statusCode).toBe(400)
  })
})

/** An administrator who has enrolled: reset by a direct write, enrolled again, signed in. */
async function signInEnrolled(server: TestServer, phone: string) {
  await server.handle.db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null }).where('phone', '=', phone).execute()
  const b = browser(server)
  await b.post('/api/auth/login', { phone, password: PASSWORD })
  const secret = String((await b.post('/api/me/two-factor/start')).json().secret)
  now += 30_000
  await b.post('/api/me/two-factor/confirm', { code: currentCode(secret, now) })
  return b
}

describe('audit retention', () => {
  it('deletes entries older than the retention with an injected clock, keeps younger ones, and records that it did', async () => {
    const server = await startServer()
    servers.push(server)
    const db = server.handle.db
    const orgId = newId()
    await db
      .insertInto('organizations')
      .values({ id: orgId, name: '保存期限', created_at: new Date().toISOString(), rules: null })
      .execute()
    const day = 86_400_000
    const at = (daysAgo: number) => new Date(clock() - daysAgo * day).toISOString()
    const entry = (daysAgo: number) => ({
      id: newId(),
      org_id: orgId,
      actor_id: '',
      action: 'login',
      target_id: null,
      summary: `${daysAgo}`,
      detail: '{}',
      device: '',
      ip: '',
      at: at(daysAgo),
    })
    await db
      .insertInto('audit_log')
      .values([entry(500), entry(366), entry(200), entry(181), entry(179), entry(1)])
      .execute()
    // A year's retention: only those older than 365 days go.
    expect(await pruneAuditLog(db, 365, clock())).toBe(2)
    // The default six months.
    expect(await pruneAuditLog(db, 180, clock())).toBe(2)
    const left = await db.selectFrom('audit_log').select(['summary', 'action']).where('org_id', '=', orgId).orderBy('at').execute()
    expect(left.filter((l) => l.action === 'login').map((l) => l.summary)).toEqual(['179', '1'])
    expect(left.filter((l) => l.action === 'audit_retention')).toHaveLength(2)
    // Nothing to do: nothing deleted, nothing recorded.
    expect(await pruneAuditLog(db, 180, clock())).toBe(0)
    // A shorter retention asked of the job is raised to six months.
    expect(await pruneAuditLog(db, 30, clock())).toBe(0)
    // A clock run ahead cannot delete a younger entry: the database itself refuses.
    await expect(pruneAuditLog(db, 180, clock() + 365 * day)).rejects.toThrow(/append-only/)
    // And no entry is ever updated.
    await expect(db.updateTable('audit_log').set({ summary: 'x' }).where('org_id', '=', orgId).execute()).rejects.toThrow(/append-only/)
  })

  it('refuses a retention under six months at start, with a clear message', () => {
    expect(() => securityFromEnv({ AUDIT_RETENTION_DAYS: '90' })).toThrow(ConfigError)
    expect(() => securityFromEnv({ AUDIT_RETENTION_DAYS: '90' })).toThrow(/至少保存 180 天/)
    expect(() => securityFromEnv({ AUDIT_RETENTION_DAYS: 'half a year' })).toThrow(/应为整数/)
    expect(securityFromEnv({ AUDIT_RETENTION_DAYS: '365' }).auditRetentionDays).toBe(365)
    expect(securityFromEnv({}).auditRetentionDays).toBe(180)
    expect(() => securityFromEnv({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY/)
    expect(securityFromEnv({ SECRET_KEY: 'ab'.repeat(32) }).secretKey?.length).toBe(32)
    expect(() => securityFromEnv({ ADMIN_2FA: 'off' })).toThrow(/ADMIN_2FA/)
  })
})
