import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FastifyBaseLogger } from 'fastify'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import { FakeAliyunSms, FakeWecom } from './support/provider-fakes.ts'
import { appApi } from './schema-upgrade.ts'
import { FAILURES_KEPT_DAYS, MAX_ATTEMPTS, runReminderJob } from '../../src/server/services/reminders/job.ts'
import { webPushService } from '../../src/server/services/push/web-push.ts'
import { organChannels, type ChannelConfig } from '../../src/server/services/reminders/channels/index.ts'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION } from '../../src/core/sync/protocol.ts'
import type { FetchFn } from '../../src/client/api/http.ts'

/**
 * Reminders through the organ's own channels, end to end: the real job, the official SDKs and
 * local fakes of 政务微信 and Alibaba Cloud SMS that check the access_token and the request
 * signature; the member's channel settings synced like any other; failures shown to the administrator.
 */
let server: TestServer
let org: Org
const wecom = new FakeWecom('ww-organ', 'agent-secret', 1000007)
const sms = new FakeAliyunSms('LTAI-organ', 'sms-secret')
let config: ChannelConfig
/** A moment in China time. */
const china = (local: string) => new Date(`${local}+08:00`)
const logged: unknown[] = []
const log = { info: (...args: unknown[]) => void logged.push(args) } as unknown as FastifyBaseLogger

const run = (now: Date, cfg: ChannelConfig = config) =>
  runReminderJob(
    server.handle.db,
    webPushService(server.handle.db),
    now,
    log,
    organChannels(cfg, {
      remember: async (userId, id) => {
        await server.handle.db.updateTable('users').set({ wecom_userid: id }).where('id', '=', userId).execute()
      },
    }),
  )

const post = (jar: FetchFn, path: string, body: unknown, headers: Record<string, string> = {}) =>
  jar(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

beforeAll(async () => {
  await Promise.all([wecom.start(), sms.start()])
  config = {
    wecom: { corpId: 'ww-organ', agentId: 1000007, secret: 'agent-secret', baseUrl: wecom.url, label: '政务微信' },
    sms: {
      provider: 'aliyun',
      accessKeyId: 'LTAI-organ',
      accessKeySecret: 'sms-secret',
      signName: '测试机关党委',
      endpoint: `127.0.0.1:${sms.port}`,
      protocol: 'HTTP',
    },
    smsTemplates: { birthday: { id: 'SMS_900001', params: ['name', 'nth'] } },
  }
  server = await startServer({ channels: config })
  org = await seedOrg(server.handle)
  // Monday 2026-11-30: 张三 (memberA) has his 20th political birthday; nobody has a push subscription.
  await server.handle.db.updateTable('users').set({ joined_party_on: '2006-11-30' }).where('id', '=', org.memberA.id).execute()
})
afterAll(async () => {
  await server.close()
  await Promise.all([wecom.stop(), sms.stop()])
})
beforeEach(async () => {
  wecom.sent.length = 0
  wecom.directory.clear()
  sms.sent.length = 0
  sms.refused.length = 0
  logged.length = 0
  const db = server.handle.db
  await db.deleteFrom('reminders_sent').execute()
  await db.deleteFrom('reminder_failures').execute()
  await db.deleteFrom('reminder_settings').execute()
  await db.updateTable('users').set({ wecom_userid: null }).execute()
})

describe('channels the organ configured', () => {
  it('members learn which channels there are, with the names they read', async () => {
    const jar = await signIn(server, org.memberA.phone)
    const res = await jar(`${server.url}/api/reminders/channels`)
    expect(await res.json()).toEqual({
      channels: [
        { id: 'push', label: '手机通知' },
        { id: 'wecom', label: '政务微信' },
        { id: 'sms', label: '短信' },
      ],
    })
  })

  it('an administrator links a member to their 政务微信 account; the greeting goes there, once', async () => {
    wecom.directory.set('13800000001', 'zhangsan')
    const admin = await signIn(server, org.admin.phone)
    const set = await post(admin, `/api/admin/people/${org.memberA.id}/wecom`, { wecomUserId: 'zhangsan' })
    expect(await set.json()).toEqual({ configured: true, label: '政务微信', wecomUserId: 'zhangsan', found: true })
    const report = await run(china('2026-11-30T09:05:00'))
    await run(china('2026-11-30T09:10:00'))
    await Promise.all([run(china('2026-11-30T12:00:00')), run(china('2026-11-30T12:00:00'))])
    expect(wecom.sent).toEqual([
      { touser: 'zhangsan', agentid: 1000007, content: '今天是您的第20个政治生日\n张三同志，政治生日快乐！不忘入党初心，重温入党誓词。' },
    ])
    expect(sms.sent).toEqual([])
    expect(report).toMatchObject({ sent: 1, fellBack: 0, retry: 0 })
    const row = await server.handle.db.selectFrom('reminders_sent').selectAll().where('user_id', '=', org.memberA.id).executeTakeFirst()
    expect(row).toMatchObject({ kind: 'birthday', delivered: 1, channel: 'wecom' })
    // Nothing personal in the job's log: counts only.
    expect(JSON.stringify(logged)).not.toMatch(/13800000001|zhangsan|agent-secret|sms-secret|张三/)
  })

  it('an administrator looks an account up by the mobile number on the person page', async () => {
    const admin = await signIn(server, org.admin.phone)
    const url = `/api/admin/people/${org.memberA2.id}/wecom`
    expect(await (await post(admin, url, { lookup: true })).json()).toEqual({
      configured: true,
      label: '政务微信',
      wecomUserId: null,
      found: false,
    })
    wecom.directory.set('13800000002', 'lisi')
    expect(await (await post(admin, url, { lookup: true })).json()).toEqual({
      configured: true,
      label: '政务微信',
      wecomUserId: 'lisi',
      found: true,
    })
    expect(await (await admin(`${server.url}${url}`)).json()).toEqual({ configured: true, label: '政务微信', wecomUserId: 'lisi' })
    const audit = await server.handle.db.selectFrom('audit_log').select('summary').where('target_id', '=', org.memberA2.id).execute()
    expect(audit.map((a) => a.summary)).toContain('设置政务微信账号：李四')
    // The member's own data export holds it too.
    const member = await signIn(server, org.memberA2.phone)
    const exported = (await (await member(`${server.url}/api/me/export`)).json()) as { profile: { wecomUserId: string | null } }
    expect(exported.profile.wecomUserId).toBe('lisi')
  })

  it('looks a member up by mobile when no account is set, and keeps what it found', async () => {
    wecom.directory.set('13800000001', 'zs001')
    await run(china('2026-11-30T09:05:00'))
    expect(wecom.sent.map((m) => m.touser)).toEqual(['zs001'])
    const user = await server.handle.db.selectFrom('users').select('wecom_userid').where('id', '=', org.memberA.id).executeTakeFirst()
    expect(user?.wecom_userid).toBe('zs001')
  })

  it('falls back to SMS when 政务微信 refuses; the failure is kept and shown to the administrator in Chinese', async () => {
    await server.handle.db.updateTable('users').set({ wecom_userid: 'left-the-organ' }).where('id', '=', org.memberA.id).execute()
    const report = await run(china('2026-11-30T09:05:00'))
    expect(report).toMatchObject({ sent: 1, fellBack: 1 })
    expect(wecom.sent).toEqual([])
    expect(sms.refused).toEqual([])
    expect(sms.sent).toEqual([
      { phoneNumbers: '13800000001', signName: '测试机关党委', templateCode: 'SMS_900001', templateParam: { name: '张三', nth: '20' } },
    ])
    const admin = await signIn(server, org.admin.phone)
    const res = await admin(`${server.url}/api/admin/reminders/failures`)
    expect(await res.json()).toEqual({
      total: 1,
      failures: [
        {
          userId: org.memberA.id,
          name: '张三',
          kind: 'birthday',
          channel: 'wecom',
          channelLabel: '政务微信',
          reason: '成员不在企业微信通讯录中或不在应用可见范围内',
          attempts: 1,
          lastAt: expect.any(String) as string,
          deliveredBy: '短信',
          unconfirmed: false,
        },
      ],
    })
  })

  it('an SMS request with a bad signature is refused by the provider: recorded, and the next channel delivers', async () => {
    wecom.directory.set('13800000001', 'zhangsan')
    const member = await signIn(server, org.memberA.phone)
    // The member put SMS first (synced like any setting, by an app of this version).
    const api = appApi(server.url, member, 6)
    const pushed = await api.push({
      clientId: newId(),
      mutations: [
        {
          id: newId(),
          table: 'reminder_settings',
          op: 'upsert',
          rowId: org.memberA.id,
          clientTime: new Date().toISOString(),
          v: MUTATION_VERSION,
          base: {},
          fields: { channels: ['sms', 'wecom'] },
        },
      ],
    })
    expect(pushed.results.map((r) => r.status)).toEqual(['applied'])
    const wrongKey: ChannelConfig = {
      ...config,
      sms: {
        provider: 'aliyun',
        accessKeyId: 'LTAI-organ',
        accessKeySecret: 'leaked-old-secret',
        signName: '测试机关党委',
        endpoint: `127.0.0.1:${sms.port}`,
        protocol: 'HTTP',
      },
    }
    const report = await run(china('2026-11-30T09:05:00'), wrongKey)
    expect(sms.refused).toEqual(['SignatureDoesNotMatch'])
    expect(sms.sent).toEqual([])
    expect(wecom.sent.map((m) => m.touser)).toEqual(['zhangsan'])
    expect(report).toMatchObject({ sent: 1, fellBack: 1 })
    const failures = await server.handle.db.selectFrom('reminder_failures').select(['channel', 'reason', 'attempts']).execute()
    expect(failures).toEqual([{ channel: 'sms', reason: '请求签名不正确（AccessKey Secret 有误）', attempts: 1 }])
    expect(JSON.stringify(logged)).not.toMatch(/leaked-old-secret|13800000001/)
  })

  it('an SMS with no answer in time may have arrived: it is neither sent again nor sent another way', async () => {
    wecom.directory.set('13800000001', 'zhangsan')
    await server.handle.db
      .insertInto('reminder_settings')
      .values({
        id: org.memberA.id,
        org_id: org.orgId,
        ...{ birthday: 1, branch_week_ahead: 1, meeting_tomorrow: 1, study_gap: 0, unsynced: 1 },
        quiet_start: '22:00',
        quiet_end: '08:00',
        channels: JSON.stringify(['sms', 'wecom']),
        updated_at: '',
        seq: 0,
      })
      .execute()
    const slow: ChannelConfig = {
      ...config,
      sms: {
        provider: 'aliyun',
        accessKeyId: 'LTAI-organ',
        accessKeySecret: 'sms-secret',
        signName: '测试机关党委',
        endpoint: `127.0.0.1:${sms.port}`,
        protocol: 'HTTP',
        timeoutMs: 300,
      },
    }
    sms.hang.add('/')
    try {
      expect(await run(china('2026-11-30T09:05:00'), slow)).toMatchObject({ sent: 0, retry: 0, unconfirmed: 1 })
      expect(await run(china('2026-11-30T09:10:00'), slow)).toMatchObject({ sent: 0, unconfirmed: 0 })
    } finally {
      sms.hang.clear()
    }
    expect(wecom.sent).toEqual([])
    const claim = await server.handle.db.selectFrom('reminders_sent').selectAll().execute()
    expect(claim).toMatchObject([{ user_id: org.memberA.id, delivered: 0, channel: 'sms' }])
    const failures = await server.handle.db.selectFrom('reminder_failures').select(['channel', 'reason']).execute()
    expect(failures).toEqual([{ channel: 'sms', reason: expect.stringContaining('无法确认是否已送达') as string }])
    const admin = await signIn(server, org.admin.phone)
    const listed = (await (await admin(`${server.url}/api/admin/reminders/failures`)).json()) as { failures: unknown[] }
    expect(listed.failures).toMatchObject([{ channel: 'sms', deliveredBy: null, unconfirmed: true }])
  })

  it('uses no channel the member left out, and holds everything in quiet hours', async () => {
    wecom.directory.set('13800000001', 'zhangsan')
    await server.handle.db
      .insertInto('reminder_settings')
      .values({
        id: org.memberA.id,
        org_id: org.orgId,
        ...{ birthday: 1, branch_week_ahead: 1, meeting_tomorrow: 1, study_gap: 0, unsynced: 1 },
        quiet_start: '09:00',
        quiet_end: '11:00',
        channels: JSON.stringify(['push']),
        updated_at: '',
        seq: 0,
      })
      .execute()
    // Only push allowed, and no subscription: nothing is claimed, nothing goes by 政务微信 or SMS.
    expect(await run(china('2026-11-30T12:00:00'))).toMatchObject({ due: 0, sent: 0 })
    await server.handle.db
      .updateTable('reminder_settings')
      .set({ channels: JSON.stringify(['sms']) })
      .execute()
    expect(await run(china('2026-11-30T10:00:00'))).toMatchObject({ due: 1, held: 1, sent: 0 })
    expect(sms.sent).toEqual([])
    expect(await run(china('2026-11-30T11:00:00'))).toMatchObject({ sent: 1 })
    expect(wecom.sent).toEqual([])
    expect(sms.sent).toHaveLength(1)
  })

  it(`a reminder every channel fails is tried again on later runs, ${MAX_ATTEMPTS} times at most`, async () => {
    await server.handle.db.updateTable('users').set({ wecom_userid: 'left-the-organ' }).where('id', '=', org.memberA.id).execute()
    const noSms: ChannelConfig = { wecom: config.wecom }
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await run(china(`2026-11-30T1${i}:05:00`), noSms)
    const failures = await server.handle.db.selectFrom('reminder_failures').select(['channel', 'attempts']).execute()
    expect(failures).toEqual([{ channel: 'wecom', attempts: MAX_ATTEMPTS }])
    expect(await run(china('2026-11-30T19:05:00'), noSms)).toMatchObject({ gaveUp: 1, retry: 0 })
    expect(await server.handle.db.selectFrom('reminders_sent').selectAll().execute()).toEqual([])
  })
})

describe('failures', () => {
  it(`are forgotten after ${FAILURES_KEPT_DAYS} days`, async () => {
    const db = server.handle.db
    const row = (at: string, key: string) => ({
      user_id: org.memberA2.id,
      org_id: org.orgId,
      kind: 'studyGap' as const,
      key,
      channel: 'sms' as const,
      reason: 'x',
      attempts: 1,
      first_at: at,
      last_at: at,
    })
    await db
      .insertInto('reminder_failures')
      .values([row('2026-08-01T00:00:00.000Z', '2026-07'), row('2026-11-01T00:00:00.000Z', '2026-10')])
      .execute()
    await run(china('2026-11-30T09:05:00'))
    expect((await db.selectFrom('reminder_failures').select('key').execute()).map((r) => r.key)).toEqual(['2026-10'])
  })
})

describe('a person removed', () => {
  it('loses their WeCom account and their delivery failures with the rest of their own data', async () => {
    const db = server.handle.db
    await db.updateTable('users').set({ wecom_userid: 'zhaoliu' }).where('id', '=', org.memberB.id).execute()
    const at = new Date().toISOString()
    await db
      .insertInto('reminder_failures')
      .values({
        user_id: org.memberB.id,
        org_id: org.orgId,
        kind: 'birthday',
        key: '2026-11-30',
        channel: 'sms',
        reason: 'x',
        attempts: 1,
        first_at: at,
        last_at: at,
      })
      .execute()
    const admin = await signIn(server, org.admin.phone)
    const res = await post(admin, `/api/admin/people/${org.memberB.id}/remove`, { reason: 'left', date: '2026-11-30' })
    expect(res.status).toBe(200)
    expect(await db.selectFrom('users').select('wecom_userid').where('id', '=', org.memberB.id).executeTakeFirst()).toEqual({
      wecom_userid: null,
    })
    expect(await db.selectFrom('reminder_failures').selectAll().where('user_id', '=', org.memberB.id).execute()).toEqual([])
  })
})

describe('older apps', () => {
  it('an app from before channels pulls the settings without them, and its changes keep the member’s channels', async () => {
    const member = await signIn(server, org.memberA.phone)
    await appApi(server.url, member, 6).push({
      clientId: newId(),
      mutations: [
        {
          id: newId(),
          table: 'reminder_settings',
          op: 'upsert',
          rowId: org.memberA.id,
          clientTime: new Date().toISOString(),
          v: MUTATION_VERSION,
          base: {},
          fields: { channels: ['wecom'] },
        },
      ],
    })
    const old = appApi(server.url, member, 2)
    const pushed = await old.push({
      clientId: newId(),
      mutations: [
        {
          id: newId(),
          table: 'reminder_settings',
          op: 'upsert',
          rowId: org.memberA.id,
          clientTime: new Date().toISOString(),
          v: MUTATION_VERSION,
          base: {},
          fields: { studyGap: true },
        },
      ],
    })
    expect(pushed.results.map((r) => r.status)).toEqual(['applied'])
    const page = await old.pull('')
    const row = page.changes.find((c) => c.table === 'reminder_settings')?.row
    expect(row).toMatchObject({ studyGap: true })
    expect(row).not.toHaveProperty('channels')
    const now = await appApi(server.url, member, 6).pull('')
    expect(now.changes.find((c) => c.table === 'reminder_settings')?.row).toMatchObject({ studyGap: true, channels: ['wecom'] })
  })
})
