import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeAliyunSms } from '../../../../../tests/integration/support/provider-fakes.ts'
import type { Reminder } from '../../../../core/domain/reminders.ts'
import { aliyunSms, type AliyunSmsConfig } from './sms-aliyun.ts'
import { smsChannel, type SmsTemplates } from './sms.ts'

const fake = new FakeAliyunSms('LTAI-test-key', 'aliyun-secret')
let cfg: AliyunSmsConfig
const templates: SmsTemplates = { birthday: { id: 'SMS_465000001', params: ['name', 'nth'] } }
const reminder: Reminder = {
  userId: 'u1',
  kind: 'birthday',
  key: '2026-11-30',
  title: '今天是您的第20个政治生日',
  body: '',
  url: '/',
  vars: { name: '欧阳 建国*', nth: '20' },
}
const to = { userId: 'u1', name: '欧阳建国', phone: '13800000001', wecomUserId: null }

beforeAll(async () => {
  await fake.start()
  cfg = {
    accessKeyId: 'LTAI-test-key',
    accessKeySecret: 'aliyun-secret',
    signName: '某某机关党委',
    endpoint: `127.0.0.1:${fake.port}`,
    protocol: 'HTTP',
  }
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.sent.length = 0
  fake.refused.length = 0
  fake.answerCode = null
})

describe('Alibaba Cloud SMS through the official SDK', () => {
  it('sends SendSms signed with ACS3-HMAC-SHA256, which the fake recomputes and accepts', async () => {
    const ch = smsChannel(aliyunSms(cfg), templates)
    expect(await ch.send(to, reminder)).toEqual({ status: 'sent' })
    expect(fake.refused).toEqual([])
    // Values with a space and a * exercise the RFC 3986 encoding of the canonical query.
    expect(fake.sent).toEqual([
      {
        phoneNumbers: '13800000001',
        signName: '某某机关党委',
        templateCode: 'SMS_465000001',
        templateParam: { name: '欧阳 建国*', nth: '20' },
      },
    ])
  })

  it('a wrong AccessKey secret makes the signature wrong: refused, and the failure says so without the secret or number', async () => {
    const ch = smsChannel(aliyunSms({ ...cfg, accessKeySecret: 'wrong-secret' }), templates)
    const out = await ch.send(to, reminder)
    expect(fake.refused).toEqual(['SignatureDoesNotMatch'])
    expect(fake.sent).toEqual([])
    expect(out).toEqual({ status: 'failed', reason: '请求签名不正确（AccessKey Secret 有误）' })
    expect(JSON.stringify(out)).not.toMatch(/wrong-secret|13800000001/)
  })

  it('a provider refusal (Code other than OK) is a failure with its reason', async () => {
    fake.answerCode = 'isv.BUSINESS_LIMIT_CONTROL'
    expect(await smsChannel(aliyunSms(cfg), templates).send(to, reminder)).toEqual({
      status: 'failed',
      reason: '发送过于频繁，被阿里云限流',
    })
  })

  it('no answer in time: may have been sent, so it is an uncertain failure (no retry, no other channel); a refused connection is not', async () => {
    fake.hang.add('/')
    const before = fake.requests
    try {
      const out = await smsChannel(aliyunSms({ ...cfg, timeoutMs: 300 }), templates).send(to, reminder)
      expect(out).toEqual({ status: 'failed', reason: expect.stringContaining('无法确认是否已送达') as string, uncertain: true })
      // Sent once: the SDK does not retry a request that may have arrived.
      await new Promise((r) => setTimeout(r, 300))
      expect(fake.requests - before).toBe(1)
    } finally {
      fake.hang.clear()
    }
    const down = await smsChannel(aliyunSms({ ...cfg, endpoint: '127.0.0.1:1' }), templates).send(to, reminder)
    expect(down).toEqual({ status: 'failed', reason: '无法连接阿里云短信服务' })
  })

  it('no template for the kind, or no mobile number: not an address (the next channel is tried), nothing sent', async () => {
    const ch = smsChannel(aliyunSms(cfg), templates)
    expect(await ch.send(to, { ...reminder, kind: 'studyGap' })).toEqual({ status: 'no-address' })
    expect(await ch.send({ ...to, phone: 'removed-x' }, reminder)).toEqual({ status: 'no-address' })
    expect(ch.reachable(to, 'studyGap')).toBe(false)
    expect(fake.sent).toEqual([])
  })
})
