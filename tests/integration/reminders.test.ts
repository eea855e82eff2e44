import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import { PushEndpoint, type FakeSubscription } from './support/push-endpoint.ts'
import { runReminderJob } from '../../src/server/services/reminders/job.ts'
import { webPushService, type PushOptions } from '../../src/server/services/push/web-push.ts'
import { DEFAULT_PREFS } from '../../src/core/domain/reminders.ts'

/**
 * The daily reminder job end to end: the right people on the right day, payloads encrypted by
 * the real `web-push` library and decrypted by a local push endpoint, gone subscriptions removed.
 */
let server: TestServer
let org: Org
const endpoint = new PushEndpoint()
let opts: PushOptions
const subs = new Map<string, FakeSubscription>()
/** A moment in China time. */
const china = (local: string) => new Date(`${local}+08:00`)

beforeAll(async () => {
  await endpoint.start()
  opts = { hosts: ['127.0.0.1'], agent: endpoint.agent }
  server = await startServer({ push: opts })
  org = await seedOrg(server.handle)
  // Monday 2026-11-30: 张三 (memberA) has his 20th political birthday; 李四 (memberA2) on Thursday;
  // 赵六 (other branch) on Wednesday.
  const dates: [string, string][] = [
    [org.memberA.id, '2006-11-30'],
    [org.memberA2.id, '2010-12-03'],
    [org.memberB.id, '2012-12-02'],
    [org.secretaryA.id, '1998-07-01'],
  ]
  for (const [id, d] of dates) await server.handle.db.updateTable('users').set({ joined_party_on: d }).where('id', '=', id).execute()
  for (const [name, who] of Object.entries({
    memberA: org.memberA,
    memberA2: org.memberA2,
    secretaryA: org.secretaryA,
    memberB: org.memberB,
  })) {
    const jar = await signIn(server, who.phone)
    const sub = endpoint.subscription(name)
    subs.set(name, sub)
    const res = await jar(`${server.url}/api/me/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: sub.endpoint, keys: sub.keys }),
    })
    expect(res.status).toBe(200)
  }
})
afterAll(async () => {
  await server.close()
  await endpoint.stop()
})
beforeEach(async () => {
  endpoint.received.length = 0
  endpoint.answer.clear()
  await server.handle.db.deleteFrom('reminders_sent').execute()
})

const run = (now: Date) => runReminderJob(server.handle.db, webPushService(server.handle.db, opts), now)

describe('daily reminder job', () => {
  it('greets exactly the members whose political birthday it is, and tells the secretary of the week ahead on Monday', async () => {
    const report = await run(china('2026-11-30T09:05:00'))
    expect(endpoint.for('memberA')).toEqual([
      {
        title: '今天是您的第20个政治生日',
        body: '张三同志，政治生日快乐！不忘入党初心，重温入党誓词。',
        url: '/',
        tag: 'birthday-2026-11-30',
      },
    ])
    expect(endpoint.for('memberA2')).toEqual([])
    expect(endpoint.for('memberB')).toEqual([])
    // The secretary's list holds their own branch only (李四 on Thursday, not 赵六 of branch B).
    expect(endpoint.for('secretaryA')).toEqual([
      { title: '未来七天有1位党员过政治生日', body: '李四（12月3日，第16个）', url: '/', tag: 'branchWeekAhead-2026-11-30' },
    ])
    expect(report).toMatchObject({ sent: 2, removed: 0, retry: 0 })
    // Encrypted with aes128gcm and signed with the server's VAPID key.
    const headers = endpoint.received[0]?.headers ?? {}
    expect(headers['content-encoding']).toBe('aes128gcm')
    const publicKey = await webPushService(server.handle.db).publicKey()
    expect(String(headers.authorization)).toContain(`k=${publicKey}`)
  })

  it('sends each reminder once however often it runs', async () => {
    await run(china('2026-11-30T09:05:00'))
    await run(china('2026-11-30T09:10:00'))
    await Promise.all([run(china('2026-11-30T12:00:00')), run(china('2026-11-30T12:00:00'))])
    expect(endpoint.for('memberA')).toHaveLength(1)
    expect(endpoint.for('secretaryA')).toHaveLength(1)
  })

  it("waits for the sending hour and for the end of the member's quiet hours", async () => {
    await run(china('2026-11-30T08:30:00'))
    expect(endpoint.received).toEqual([])
    await server.handle.db
      .insertInto('reminder_settings')
      .values({
        id: org.memberA.id,
        org_id: org.orgId,
        birthday: 1,
        branch_week_ahead: 1,
        meeting_tomorrow: 1,
        study_gap: 0,
        unsynced: 1,
        quiet_start: '09:00',
        quiet_end: '11:00',
        updated_at: '',
        seq: 0,
      })
      .execute()
    try {
      const held = await run(china('2026-11-30T10:00:00'))
      expect(held.held).toBe(1)
      expect(endpoint.for('memberA')).toEqual([])
      await run(china('2026-11-30T11:00:00'))
      expect(endpoint.for('memberA')).toHaveLength(1)
    } finally {
      await server.handle.db.deleteFrom('reminder_settings').execute()
    }
  })

  it('sends nothing to a member who turned the greeting off', async () => {
    await server.handle.db
      .insertInto('reminder_settings')
      .values({
        id: org.memberA.id,
        org_id: org.orgId,
        ...{ birthday: 0, branch_week_ahead: 1, meeting_tomorrow: 1, study_gap: 0, unsynced: 1 },
        quiet_start: DEFAULT_PREFS.quietStart,
        quiet_end: DEFAULT_PREFS.quietEnd,
        updated_at: '',
        seq: 0,
      })
      .execute()
    try {
      await run(china('2026-11-30T09:05:00'))
      expect(endpoint.for('memberA')).toEqual([])
    } finally {
      await server.handle.db.deleteFrom('reminder_settings').execute()
    }
  })

  it('tries again later when the push service fails, and removes a subscription it reports gone (410)', async () => {
    endpoint.answer.set('/push/memberA', 500)
    const first = await run(china('2026-11-30T09:05:00'))
    expect(first.retry).toBe(1)
    endpoint.answer.delete('/push/memberA')
    await run(china('2026-11-30T09:10:00'))
    expect(endpoint.for('memberA')).toHaveLength(1)

    await server.handle.db.deleteFrom('reminders_sent').execute()
    endpoint.answer.set('/push/memberA', 410)
    const gone = await run(china('2026-11-30T09:15:00'))
    expect(gone.removed).toBe(1)
    const left = await server.handle.db.selectFrom('push_subscriptions').select('user_id').where('user_id', '=', org.memberA.id).execute()
    expect(left).toEqual([])
  })
})

describe('meeting tomorrow', () => {
  it('reminds the expected people the day before, once', async () => {
    const id = '01a22031-4d76-7677-ae1b-b63b19145d99'
    await server.handle.db
      .insertInto('meetings')
      .values({
        id,
        org_id: org.orgId,
        branch_id: org.branchA,
        type: 'branch_committee',
        topic: '12月支部委员会',
        starts_at: '2026-12-01T06:30:00.000Z',
        duration_minutes: 60,
        place: '三楼会议室',
        organiser_id: org.secretaryA.id,
        speaker: '',
        expected_ids: JSON.stringify([org.memberA2.id]),
        agenda: '',
        minutes: '',
        talk_with_id: null,
        sign_key: 'k'.repeat(43),
        photo_ids: '[]',
        created_by: org.secretaryA.id,
        created_at: '2026-11-28T00:00:00.000Z',
        updated_at: '2026-11-28T00:00:00.000Z',
        deleted: 0,
        seq: 1,
      })
      .execute()
    await run(china('2026-11-30T09:05:00'))
    await run(china('2026-11-30T10:05:00'))
    expect(endpoint.for('memberA2')).toEqual([
      {
        title: '明天 14:30：12月支部委员会',
        body: '地点：三楼会议室。不能参加请提前在应用中请假。',
        url: `/meetings/${id}`,
        tag: `meetingTomorrow-${id}`,
      },
    ])
    expect(endpoint.for('memberA').filter((p) => p.tag.startsWith('meeting'))).toEqual([])
  })
})

describe('预备期满', () => {
  it("reminds the branch's secretary once, from 30 days before the probation ends, with the steps, outside quiet hours", async () => {
    // 李四 is a 预备党员 admitted on 2025-12-20 (in this test only): the probation ends on 2026-12-20.
    await server.handle.db
      .updateTable('users')
      .set({ status: 'probationary', joined_party_on: '2025-12-20' })
      .where('id', '=', org.memberA2.id)
      .execute()
    try {
      const probation = (name: string) => endpoint.for(name).filter((n) => n.tag.startsWith('branchWeekAhead-probation'))
      await run(china('2026-11-19T10:00:00'))
      expect(probation('secretaryA')).toEqual([])
      // Quiet hours of the secretary: held, then sent once they end.
      await server.handle.db
        .insertInto('reminder_settings')
        .values({
          id: org.secretaryA.id,
          org_id: org.orgId,
          ...{ birthday: 1, branch_week_ahead: 1, meeting_tomorrow: 1, study_gap: 0, unsynced: 1 },
          quiet_start: '09:00',
          quiet_end: '11:00',
          updated_at: new Date().toISOString(),
          seq: 0,
        })
        .execute()
      await run(china('2026-11-20T10:00:00'))
      expect(probation('secretaryA')).toEqual([])
      await run(china('2026-11-20T11:05:00'))
      await run(china('2026-11-21T11:05:00'))
      const sent = probation('secretaryA')
      expect(sent).toHaveLength(1)
      expect(sent[0]?.title).toBe('李四 12月20日预备期满（还有30天）')
      expect(sent[0]?.body).toContain('支部大会讨论表决')
      expect(sent[0]?.url).toBe('/training/branch')
      // Nobody else in the branch, nobody of the other branch.
      for (const name of ['memberA', 'memberA2', 'memberB']) expect(probation(name)).toEqual([])
    } finally {
      await server.handle.db
        .updateTable('users')
        .set({ status: 'full', joined_party_on: '2010-12-03' })
        .where('id', '=', org.memberA2.id)
        .execute()
      await server.handle.db.deleteFrom('reminder_settings').where('id', '=', org.secretaryA.id).execute()
    }
  })
})

describe('subscriptions', () => {
  it('refuses an endpoint that is not a push service, in Chinese', async () => {
    const jar = await signIn(server, org.memberA2.phone)
    const res = await jar(`${server.url}/api/me/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'https://intranet.example/admin', keys: subs.get('memberA2')?.keys }),
    })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('推送服务不受支持')
  })

  it("moves a browser's subscription to whoever signs in on it next", async () => {
    const sub = endpoint.subscription('shared')
    for (const phone of [org.memberA2.phone, org.memberB.phone]) {
      const jar = await signIn(server, phone)
      await jar(`${server.url}/api/me/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endpoint: sub.endpoint, keys: sub.keys }),
      })
    }
    const rows = await server.handle.db.selectFrom('push_subscriptions').select('user_id').where('endpoint', '=', sub.endpoint).execute()
    expect(rows).toEqual([{ user_id: org.memberB.id }])
  })

  it("sends a test notification to the person's own devices only", async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const res = await jar(`${server.url}/api/me/push/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(await res.json()).toEqual({ devices: 1, sent: 1 })
    expect(endpoint.received.map((r) => r.path)).toEqual(['/push/secretaryA'])
  })
})
