import * as dysmsapi from '@alicloud/dysmsapi20170525'
import { SendSmsRequest, type SendSmsResponse } from '@alicloud/dysmsapi20170525'
import { $OpenApiUtil } from '@alicloud/openapi-core'
import { codeOf, maybeSent, UNCERTAIN } from './types.ts'
import type { SmsProvider } from './sms.ts'

/**
 * Alibaba Cloud SMS (短信服务, dysmsapi 2017-05-25) through its official SDK: SendSms with the
 * organ's approved SignName, the kind's TemplateCode and TemplateParam as JSON. The SDK signs each
 * request with ACS3-HMAC-SHA256 (its V3 signature).
 */
export interface AliyunSmsConfig {
  accessKeyId: string
  accessKeySecret: string
  signName: string
  /** dysmsapi.aliyuncs.com unless set (tests: a local fake). */
  endpoint?: string
  /** 'HTTPS' unless set (tests: 'HTTP'). */
  protocol?: 'HTTPS' | 'HTTP'
  /** How long to wait for the answer (10 s). */
  timeoutMs?: number
}

/** Known answers (Code), in Chinese. */
const REASONS: Record<string, string> = {
  'isv.BUSINESS_LIMIT_CONTROL': '发送过于频繁，被阿里云限流',
  'isv.MOBILE_NUMBER_ILLEGAL': '手机号码格式不正确',
  'isv.SMS_TEMPLATE_ILLEGAL': '短信模板不存在或未通过审核',
  'isv.SMS_SIGNATURE_ILLEGAL': '短信签名不存在或未通过审核',
  'isv.TEMPLATE_MISSING_PARAMETERS': '模板参数缺失',
  'isv.AMOUNT_NOT_ENOUGH': '阿里云账户余额不足',
  SignatureDoesNotMatch: '请求签名不正确（AccessKey Secret 有误）',
  InvalidAccessKeyId: 'AccessKey ID 不存在',
  'InvalidAccessKeyId.NotFound': 'AccessKey ID 不存在',
}

// The SDK is CommonJS with its client class as `exports.default`: Node's ESM loader hands the
// whole module as the default import, bundlers and Vitest the class itself.
type ClientClass = new (config: $OpenApiUtil.Config) => { sendSms(request: SendSmsRequest): Promise<SendSmsResponse> }
const imported: unknown = dysmsapi.default
const Client: ClientClass = typeof imported === 'function' ? (imported as ClientClass) : (imported as { default: ClientClass }).default

export function aliyunSms(cfg: AliyunSmsConfig): SmsProvider {
  const client = new Client(
    new $OpenApiUtil.Config({
      accessKeyId: cfg.accessKeyId,
      accessKeySecret: cfg.accessKeySecret,
      endpoint: cfg.endpoint ?? 'dysmsapi.aliyuncs.com',
      protocol: cfg.protocol ?? 'HTTPS',
      regionId: 'cn-hangzhou',
      readTimeout: cfg.timeoutMs ?? 10_000,
      connectTimeout: 5_000,
    }),
  )
  const reason = (code: string) => REASONS[code] ?? `阿里云短信返回错误（${code || '未知'}）`
  return {
    name: '阿里云短信',
    async send(mobile, template, values) {
      try {
        const res = await client.sendSms(
          new SendSmsRequest({
            phoneNumbers: mobile,
            signName: cfg.signName,
            templateCode: template.id,
            templateParam: JSON.stringify(Object.fromEntries(values.map((p) => [p.name, p.value]))),
          }),
        )
        const code = codeOf(res.body?.code)
        return code === 'OK' ? { status: 'sent' } : { status: 'failed', reason: reason(code) }
      } catch (err) {
        // Only the provider's code is kept: the SDK's message can quote the request (the number).
        if (maybeSent(err)) return { status: 'failed', reason: `阿里云短信${UNCERTAIN}`, uncertain: true }
        const code = codeOf((err as { code?: unknown } | null)?.code)
        return { status: 'failed', reason: code && !/^E[A-Z]+$/.test(code) ? reason(code) : '无法连接阿里云短信服务' }
      }
    },
  }
}
