import { describe, expect, it } from 'vitest'
import { channelConfigFromEnv, offeredChannels, organChannels } from './index.ts'

const wecom = { WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's' }
const aliyun = {
  SMS_PROVIDER: 'aliyun',
  ALIYUN_SMS_ACCESS_KEY_ID: 'id',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret',
  SMS_SIGN_NAME: '某某机关党委',
  SMS_TEMPLATES: '{"birthday":{"id":"SMS_1","params":["name","nth"]}}',
}

describe('reminder channel configuration', () => {
  it('nothing configured: push only', () => {
    const cfg = channelConfigFromEnv({})
    expect(cfg).toEqual({})
    expect(offeredChannels(organChannels(cfg))).toEqual([{ id: 'push', label: '手机通知' }])
  })

  it('政务微信 at its own address, and SMS through Alibaba Cloud with its templates', () => {
    const cfg = channelConfigFromEnv({ ...wecom, WECOM_BASE_URL: 'https://zwwx.example.gov.cn', WECOM_NAME: '政务微信', ...aliyun })
    expect(cfg.wecom).toMatchObject({ corpId: 'ww1', agentId: 1000002, baseUrl: 'https://zwwx.example.gov.cn', label: '政务微信' })
    expect(cfg.sms).toMatchObject({ provider: 'aliyun', signName: '某某机关党委' })
    expect(cfg.smsTemplates).toEqual({ birthday: { id: 'SMS_1', params: ['name', 'nth'] } })
    expect(offeredChannels(organChannels(cfg)).map((c) => c.label)).toEqual(['手机通知', '政务微信', '短信'])
    expect(channelConfigFromEnv(wecom).wecom?.baseUrl).toBe('https://qyapi.weixin.qq.com')
  })

  it('a channel half configured stops the start, naming what is missing (never a value)', () => {
    expect(() => channelConfigFromEnv({ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 'top-secret' })).toThrow('企业微信: WECOM_AGENT_ID must be set')
    expect(() => channelConfigFromEnv({ ...wecom, WECOM_AGENT_ID: 'abc' })).toThrow('WECOM_AGENT_ID')
    expect(() => channelConfigFromEnv({ ...aliyun, SMS_SIGN_NAME: '' })).toThrow('SMS_SIGN_NAME must be set')
    expect(() => channelConfigFromEnv({ SMS_PROVIDER: 'tencent' })).toThrow(/TENCENT_SMS_SECRET_ID, TENCENT_SMS_SECRET_KEY/)
    expect(() => channelConfigFromEnv({ SMS_PROVIDER: 'carrier-pigeon' })).toThrow('aliyun or tencent')
    expect(() => channelConfigFromEnv({ ...aliyun, SMS_TEMPLATES: '{"birthday":{"id":"SMS_1","params":["phone number"]}}' })).toThrow(
      'SMS_TEMPLATES',
    )
    expect(() => channelConfigFromEnv({ ...aliyun, SMS_TEMPLATES: 'birthday=SMS_1' })).toThrow('SMS_TEMPLATES must be JSON')
    expect(() => channelConfigFromEnv({ ...aliyun, SMS_TEMPLATES: '{"holiday":{"id":"SMS_1","params":[]}}' })).toThrow('SMS_TEMPLATES')
  })
})
