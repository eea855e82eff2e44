import * as v from 'valibot'
import type { ChannelOutcome } from '../../../../core/domain/reminder-channels.ts'
import { REMINDER_KINDS, type Reminder, type ReminderKind } from '../../../../core/domain/reminders.ts'
import { mobileOf, type ChannelAdapter } from './types.ts'

/**
 * SMS through the provider the organ chose (Alibaba Cloud or Tencent Cloud). Mainland SMS text
 * must be a template the provider approved beforehand, under an approved signature (签名): the
 * organ registers one template per reminder kind and maps it here to its template id and the
 * reminder's values, in the order the template uses them (Tencent: {1}, {2}…; Alibaba: ${name}…).
 * A kind without a template is not sent by SMS (the next channel is tried).
 */
export interface SmsTemplate {
  /** Alibaba Cloud TemplateCode (SMS_123456789) or Tencent Cloud TemplateId (1234567). */
  id: string
  /** The reminder values the template uses (name, nth, count, names, topic, time, place, month), in order. */
  params: string[]
}
export type SmsTemplates = Partial<Record<ReminderKind, SmsTemplate>>

/** What a provider's SDK call does with one message. */
export interface SmsProvider {
  /** 阿里云短信 / 腾讯云短信. */
  readonly name: string
  send(mobile: string, template: SmsTemplate, values: { name: string; value: string }[]): Promise<ChannelOutcome>
}

const TemplateSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
  params: v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z][A-Za-z]{0,19}$/))), v.maxLength(10)),
})
const TemplatesSchema = v.record(v.picklist(REMINDER_KINDS), TemplateSchema)

/** SMS_TEMPLATES as JSON: {"birthday":{"id":"SMS_1","params":["name","nth"]}, …}. Throws with a reason. */
export function parseSmsTemplates(json: string): SmsTemplates {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    throw new Error('SMS_TEMPLATES must be JSON, e.g. {"birthday":{"id":"SMS_1","params":["name","nth"]}}')
  }
  const parsed = v.safeParse(TemplatesSchema, raw)
  if (!parsed.success) throw new Error(`SMS_TEMPLATES: ${v.summarize(parsed.issues)}`)
  return parsed.output
}

/** Providers limit each value's length (about 20–35 characters); longer ones are cut with an ellipsis. */
export const SMS_VALUE_MAX = 20

export function templateValues(template: SmsTemplate, reminder: Reminder): { name: string; value: string }[] {
  return template.params.map((name) => {
    const value = reminder.vars[name] ?? ''
    return { name, value: [...value].length > SMS_VALUE_MAX ? `${[...value].slice(0, SMS_VALUE_MAX - 1).join('')}…` : value }
  })
}

export function smsChannel(provider: SmsProvider, templates: SmsTemplates): ChannelAdapter {
  return {
    id: 'sms',
    label: '短信',
    reachable: (to, kind) => mobileOf(to.phone) !== null && templates[kind] !== undefined,
    async send(to, reminder) {
      const mobile = mobileOf(to.phone)
      const template = templates[reminder.kind]
      if (!mobile || !template) return { status: 'no-address' }
      try {
        return await provider.send(mobile, template, templateValues(template, reminder))
      } catch {
        return { status: 'failed', reason: `${provider.name}发送出错` }
      }
    },
  }
}
