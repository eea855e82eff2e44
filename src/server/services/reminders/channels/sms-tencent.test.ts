import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeTencentSms } from '../../../../../tests/integration/support/provider-fakes.ts'
import type { Reminder } from '../../../../core/domain/reminders.ts'
import { tencentSms, type TencentSmsConfig } from './sms-tencent.ts'
import { smsChannel, type SmsTemplates } from './sms.ts'

const fake = new FakeTencentSms('AKID-test', 'tencent-secret')
let cfg: TencentSmsConfig
const templates: SmsTemplates = { meetingTomorrow: { id: '2100001', params: ['time', 'topic', 'place'] } }
const reminder: Reminder = {
  userId: 'u1',
  kind: 'meetingTomorrow',
  key: 'm1',
  title: '',
  body: '',
  url: '/meetings/m1',
  vars: { name: '张三', time: '14:30', topic: '学习贯彻党的二十届四中全会精神专题党课暨主题党日活动', place: '三楼会议室' },
}
const to = { userId: 'u1', name: '张三', phone: '13800000001', wecomUserId: null }

beforeAll(async () => {
  await fake.start()
  // The real host name (the SDK signs the service from it), reached through an agent that goes to the fake.
  cfg = {
    secretId: 'AKID-test',
    secretKey: 'tencent-secret',
    sdkAppId: '1400000001',
    signName: '某某机关党委',
    protocol: 'http://',
    agent: fake.agent(),
  }
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.sent.length = 0
  fake.refused.length = 0
  fake.answerCode = null
})

describe('Tencent Cloud SMS through the official SDK', () => {
  it('sends SendSms signed with TC3-HMAC-SHA256, which the fake recomputes and accepts; long values are cut', async () => {
    const ch = smsChannel(tencentSms(cfg), templates)
    expect(await ch.send(to, reminder)).toEqual({ status: 'sent' })
    expect(fake.refused).toEqual([])
    expect(fake.sent).toEqual([
      {
        PhoneNumberSet: ['+8613800000001'],
        SmsSdkAppId: '1400000001',
        SignName: '某某机关党委',
        TemplateId: '2100001',
        TemplateParamSet: ['14:30', '学习贯彻党的二十届四中全会精神专题党课…', '三楼会议室'],
      },
    ])
  })

  it('a wrong SecretKey makes the signature wrong: refused, and the failure is recorded with the reason', async () => {
    const out = await smsChannel(tencentSms({ ...cfg, secretKey: 'wrong' }), templates).send(to, reminder)
    expect(fake.refused).toEqual(['AuthFailure.SignatureFailure'])
    expect(fake.sent).toEqual([])
    expect(out).toEqual({ status: 'failed', reason: '请求签名不正确（SecretKey 有误）' })
  })

  it('no answer in time is an uncertain failure (it may have been sent)', async () => {
    fake.hang.add('/')
    const before = fake.requests
    try {
      const out = await smsChannel(tencentSms({ ...cfg, timeoutSeconds: 1 }), templates).send(to, reminder)
      expect(out).toMatchObject({ status: 'failed', uncertain: true })
      // Sent once: the SDK does not retry a request that may have arrived.
      await new Promise((r) => setTimeout(r, 300))
      expect(fake.requests - before).toBe(1)
    } finally {
      fake.hang.clear()
    }
  })

  it('a refusal for the number is a failure with its reason', async () => {
    fake.answerCode = 'LimitExceeded.PhoneNumberDailyLimit'
    expect(await smsChannel(tencentSms(cfg), templates).send(to, reminder)).toEqual({ status: 'failed', reason: '此号码当日短信已达上限' })
  })
})
