import type { Agent } from 'node:http'
import { sms } from 'tencentcloud-sdk-nodejs-sms'
import { codeOf, maybeSent, UNCERTAIN } from './types.ts'
import type { SmsProvider } from './sms.ts'

/**
 * Tencent Cloud SMS (sms 2021-01-11) through its official SDK: SendSms with the organ's
 * SmsSdkAppId, approved SignName, the kind's TemplateId and TemplateParamSet (values in the
 * template's {1}, {2}… order). The SDK signs each request with TC3-HMAC-SHA256.
 */
export interface TencentSmsConfig {
  secretId: string
  secretKey: string
  sdkAppId: string
  signName: string
  /** ap-guangzhou unless set. */
  region?: string
  /** sms.tencentcloudapi.com unless set; the service signed is its first label (sms). */
  endpoint?: string
  /** How long to wait for the answer, in seconds (10). */
  timeoutSeconds?: number
  /** Only for tests: plain HTTP through an agent that reaches a local fake. */
  protocol?: 'https://' | 'http://'
  agent?: Agent
}

const REASONS: Record<string, string> = {
  'LimitExceeded.PhoneNumberDailyLimit': '此号码当日短信已达上限',
  'LimitExceeded.PhoneNumberThirtySecondLimit': '发送过于频繁，被腾讯云限流',
  'FailedOperation.TemplateIncorrectOrUnapproved': '短信模板不存在或未通过审核',
  'FailedOperation.SignatureIncorrectOrUnapproved': '短信签名不存在或未通过审核',
  'FailedOperation.InsufficientBalanceInSmsPackage': '腾讯云短信套餐包余量不足',
  'InvalidParameterValue.IncorrectPhoneNumber': '手机号码格式不正确',
  'AuthFailure.SignatureFailure': '请求签名不正确（SecretKey 有误）',
  'AuthFailure.SecretIdNotFound': 'SecretId 不存在',
  'AuthFailure.SignatureExpire': '请求签名已过期（服务器时间不准）',
}

export function tencentSms(cfg: TencentSmsConfig): SmsProvider {
  const client = new sms.v20210111.Client({
    credential: { secretId: cfg.secretId, secretKey: cfg.secretKey },
    region: cfg.region ?? 'ap-guangzhou',
    profile: {
      httpProfile: {
        endpoint: cfg.endpoint ?? 'sms.tencentcloudapi.com',
        reqTimeout: cfg.timeoutSeconds ?? 10,
        ...(cfg.protocol && { protocol: cfg.protocol }),
        ...(cfg.agent && { agent: cfg.agent }),
      },
    },
  })
  const reason = (code: string) => REASONS[code] ?? `腾讯云短信返回错误（${code || '未知'}）`
  return {
    name: '腾讯云短信',
    async send(mobile, template, values) {
      try {
        const res = await client.SendSms({
          PhoneNumberSet: [`+86${mobile}`],
          SmsSdkAppId: cfg.sdkAppId,
          SignName: cfg.signName,
          TemplateId: template.id,
          TemplateParamSet: values.map((p) => p.value),
        })
        const code = codeOf(res.SendStatusSet?.[0]?.Code)
        return code === 'Ok' ? { status: 'sent' } : { status: 'failed', reason: reason(code) }
      } catch (err) {
        // Only the provider's code is kept: the SDK's message can quote the request.
        const code = codeOf((err as { code?: unknown } | null)?.code)
        if (!code && maybeSent(err)) return { status: 'failed', reason: `腾讯云短信${UNCERTAIN}`, uncertain: true }
        return { status: 'failed', reason: code ? reason(code) : '无法连接腾讯云短信服务' }
      }
    },
  }
}
