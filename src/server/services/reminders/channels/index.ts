import { CHANNEL_LABELS, type Channel } from '../../../../core/domain/reminder-channels.ts'
import { parseSmsTemplates, smsChannel, type SmsTemplates } from './sms.ts'
import { aliyunSms, type AliyunSmsConfig } from './sms-aliyun.ts'
import { tencentSms, type TencentSmsConfig } from './sms-tencent.ts'
import { wecomChannel, type WecomConfig, type WecomOptions } from './wecom.ts'
import type { ChannelAdapter } from './types.ts'

export type { ChannelAdapter, Recipient } from './types.ts'

/**
 * The reminder channels this organ configured besides Web Push (always on): each one is off
 * unless its variables are set (README, "Reminder channels"). Secrets stay here: nothing logs them.
 */
export interface ChannelConfig {
  wecom?: WecomConfig
  sms?: ({ provider: 'aliyun' } & AliyunSmsConfig) | ({ provider: 'tencent' } & TencentSmsConfig)
  smsTemplates?: SmsTemplates
}

type Env = Record<string, string | undefined>

const need = (env: Env, names: readonly string[], what: string): void => {
  const missing = names.filter((n) => !env[n]?.trim())
  if (missing.length) throw new Error(`${what}: ${missing.join(', ')} must be set`)
}

/** Reads the configuration; a channel half-configured stops the start with the missing names. */
export function channelConfigFromEnv(env: Env): ChannelConfig {
  const cfg: ChannelConfig = {}
  const v = (name: string) => env[name]?.trim() ?? ''
  if (v('WECOM_CORP_ID') || v('WECOM_SECRET') || v('WECOM_AGENT_ID')) {
    need(env, ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET'], '企业微信')
    const agentId = Number(v('WECOM_AGENT_ID'))
    if (!Number.isInteger(agentId) || agentId <= 0) throw new Error('WECOM_AGENT_ID must be the application’s AgentId (a number)')
    cfg.wecom = {
      corpId: v('WECOM_CORP_ID'),
      agentId,
      secret: v('WECOM_SECRET'),
      baseUrl: v('WECOM_BASE_URL') || 'https://qyapi.weixin.qq.com',
      label: v('WECOM_NAME') || CHANNEL_LABELS.wecom,
      ...(v('APP_URL') && { appUrl: v('APP_URL') }),
    }
  }
  const provider = v('SMS_PROVIDER')
  if (provider === 'aliyun') {
    need(env, ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME', 'SMS_TEMPLATES'], 'SMS (Alibaba Cloud)')
    cfg.sms = {
      provider,
      accessKeyId: v('ALIYUN_SMS_ACCESS_KEY_ID'),
      accessKeySecret: v('ALIYUN_SMS_ACCESS_KEY_SECRET'),
      signName: v('SMS_SIGN_NAME'),
      ...(v('SMS_ENDPOINT') && { endpoint: v('SMS_ENDPOINT') }),
    }
  } else if (provider === 'tencent') {
    need(
      env,
      ['TENCENT_SMS_SECRET_ID', 'TENCENT_SMS_SECRET_KEY', 'TENCENT_SMS_SDK_APP_ID', 'SMS_SIGN_NAME', 'SMS_TEMPLATES'],
      'SMS (Tencent Cloud)',
    )
    cfg.sms = {
      provider,
      secretId: v('TENCENT_SMS_SECRET_ID'),
      secretKey: v('TENCENT_SMS_SECRET_KEY'),
      sdkAppId: v('TENCENT_SMS_SDK_APP_ID'),
      signName: v('SMS_SIGN_NAME'),
      ...(v('TENCENT_SMS_REGION') && { region: v('TENCENT_SMS_REGION') }),
      ...(v('SMS_ENDPOINT') && { endpoint: v('SMS_ENDPOINT') }),
    }
  } else if (provider) throw new Error('SMS_PROVIDER must be aliyun or tencent')
  if (cfg.sms) cfg.smsTemplates = parseSmsTemplates(v('SMS_TEMPLATES'))
  return cfg
}

/** The configured channels other than Web Push, ready to send. */
export interface OrganChannels {
  /** WeCom and SMS adapters, when configured (push is added by the job, which holds the subscriptions). */
  readonly extra: readonly ChannelAdapter[]
  /** Finds a WeCom user id by mobile number, asking the server now (null: not configured, or not found). */
  wecomLookup(mobile: string): Promise<string | null>
}

export function organChannels(cfg: ChannelConfig, wecomOpts: WecomOptions = {}): OrganChannels {
  const wecom = cfg.wecom ? wecomChannel(cfg.wecom, wecomOpts) : null
  const sms = cfg.sms ? smsChannel(cfg.sms.provider === 'aliyun' ? aliyunSms(cfg.sms) : tencentSms(cfg.sms), cfg.smsTemplates ?? {}) : null
  return {
    extra: [wecom, sms].filter((c) => c !== null),
    wecomLookup: async (mobile) => (wecom ? wecom.lookup(mobile, true) : null),
  }
}

/** What members are offered: push always, then the configured ones, with the names they read. */
export function offeredChannels(channels: OrganChannels): { id: Channel; label: string }[] {
  return [{ id: 'push', label: CHANNEL_LABELS.push }, ...channels.extra.map((c) => ({ id: c.id, label: c.label }))]
}
