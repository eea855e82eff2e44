import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeWecom } from '../../../../../tests/integration/support/provider-fakes.ts'
import type { Reminder } from '../../../../core/domain/reminders.ts'
import { cutBytes, wecomChannel, type WecomConfig } from './wecom.ts'

const fake = new FakeWecom('ww-corp', 'app-secret', 1000002)
let cfg: WecomConfig
const reminder: Reminder = {
  userId: 'u1',
  kind: 'birthday',
  key: '2026-11-30',
  title: '今天是您的第20个政治生日',
  body: '张三同志，政治生日快乐！',
  url: '/',
  vars: { name: '张三', nth: '20' },
}
const zhang = { userId: 'u1', name: '张三', phone: '13800000001', wecomUserId: 'ZhangSan' }

beforeAll(async () => {
  await fake.start()
  cfg = {
    corpId: 'ww-corp',
    agentId: 1000002,
    secret: 'app-secret',
    baseUrl: fake.url,
    label: '政务微信',
    appUrl: 'https://dj.example.gov.cn',
  }
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.sent.length = 0
  fake.directory.clear()
  fake.directory.set('13800000001', 'ZhangSan')
})

describe('企业微信 / 政务微信 application messages', () => {
  it('fetches the access_token once and reuses it for every message', async () => {
    const before = fake.tokensIssued
    const ch = wecomChannel(cfg)
    expect(await ch.send(zhang, reminder)).toEqual({ status: 'sent' })
    expect(await ch.send(zhang, { ...reminder, key: 'other' })).toEqual({ status: 'sent' })
    await Promise.all([ch.send(zhang, reminder), ch.send(zhang, reminder)])
    expect(fake.tokensIssued - before).toBe(1)
    expect(fake.sent).toHaveLength(4)
    expect(fake.sent[0]).toEqual({
      touser: 'ZhangSan',
      agentid: 1000002,
      content: '今天是您的第20个政治生日\n张三同志，政治生日快乐！\nhttps://dj.example.gov.cn/',
    })
  })

  it('fetches a new token when the API says it expired (42001) or is invalid (40014), and sends once', async () => {
    const before = fake.tokensIssued
    let clock = 0
    const ch = wecomChannel(cfg, { now: () => clock })
    expect(await ch.send(zhang, reminder)).toEqual({ status: 'sent' })
    fake.expire()
    expect(await ch.send(zhang, reminder)).toEqual({ status: 'sent' })
    expect(fake.tokensIssued - before).toBe(2)
    expect(fake.sent).toHaveLength(2)
    // Past its lifetime (7200 s less a margin) the token is fetched again without asking the API first.
    clock += 7200_000
    expect(await ch.send(zhang, reminder)).toEqual({ status: 'sent' })
    expect(fake.tokensIssued - before).toBe(3)
  })

  it('finds a member by mobile number once, and keeps the user id', async () => {
    const remembered: [string, string][] = []
    const ch = wecomChannel(cfg, { remember: async (u, w) => void remembered.push([u, w]) })
    expect(await ch.send({ ...zhang, wecomUserId: null }, reminder)).toEqual({ status: 'sent' })
    expect(remembered).toEqual([['u1', 'ZhangSan']])
    expect(fake.sent.map((m) => m.touser)).toEqual(['ZhangSan'])
    // Nobody in the directory with this number: no address (the next channel is tried), asked once a day.
    const lookups = fake.lookups
    const stranger = { userId: 'u2', name: '李四', phone: '13800000002', wecomUserId: null }
    expect(await ch.send(stranger, reminder)).toEqual({ status: 'no-address' })
    expect(await ch.send(stranger, reminder)).toEqual({ status: 'no-address' })
    expect(fake.lookups - lookups).toBe(1)
    expect(ch.reachable({ ...stranger, phone: null }, 'birthday')).toBe(false)
  })

  it('reports a wrong secret or an unknown account as a failure with the reason in Chinese, and no secret in it', async () => {
    const wrong = wecomChannel({ ...cfg, secret: 'not-the-secret' })
    const out = await wrong.send(zhang, reminder)
    expect(out).toEqual({ status: 'failed', reason: '应用Secret不正确' })
    const ch = wecomChannel(cfg)
    expect(await ch.send({ ...zhang, wecomUserId: 'Nobody' }, reminder)).toEqual({
      status: 'failed',
      reason: '成员不在企业微信通讯录中或不在应用可见范围内',
    })
    const down = wecomChannel({ ...cfg, baseUrl: 'http://127.0.0.1:1' })
    expect(await down.send(zhang, reminder)).toEqual({ status: 'failed', reason: '无法连接政务微信服务器' })
  })

  it('no answer in time to message/send: it may have arrived, an uncertain failure', async () => {
    const ch = wecomChannel(cfg, { timeoutMs: 300 })
    fake.hang.add('/cgi-bin/message/send')
    try {
      expect(await ch.send(zhang, reminder)).toEqual({
        status: 'failed',
        reason: '政务微信未在时限内答复，无法确认是否已送达（为免重复，不再重发或改用其他方式）',
        uncertain: true,
      })
    } finally {
      fake.hang.clear()
    }
  })
})

describe('message length', () => {
  it('a long text (an organisation’s week-ahead list) is cut to WeCom’s 2048 bytes, the link kept', async () => {
    expect(cutBytes('政治生日', 100)).toBe('政治生日')
    expect(cutBytes('政治生日', 9)).toBe('政治…')
    expect(cutBytes('政治生日', 8)).toBe('政…')
    const long = { ...reminder, body: '张三（12月1日，第20个）、'.repeat(200) }
    expect(await wecomChannel(cfg).send(zhang, long)).toEqual({ status: 'sent' })
    const content = fake.sent.at(-1)?.content ?? ''
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048)
    expect(content.endsWith('…\nhttps://dj.example.gov.cn/')).toBe(true)
  })
})
