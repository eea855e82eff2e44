import * as v from 'valibot'
import { contract } from './contract.ts'
import { titled } from '../schemas/common.ts'
import { IdParams } from '../schemas/people.ts'
import { CHANNELS } from '../domain/reminder-channels.ts'
import { REMINDER_KINDS } from '../domain/reminders.ts'

/** Reminder channels: which this organ offers, a person's WeCom account, and the delivery failures. */
const ChannelId = v.picklist(CHANNELS)
const OfferedChannel = v.object({ id: ChannelId, label: v.string() })

/** The channels a member may choose (push always; 企业微信 / 政务微信 and SMS when the organ configured them). */
export const reminderChannels = contract({
  method: 'GET',
  path: '/api/reminders/channels',
  response: v.object({ channels: v.array(OfferedChannel) }),
})

/** 企业微信 / 政务微信 member accounts: letters, digits and _ - . @ as WeCom allows, at most 64. */
const WecomUserId = titled(
  '企业微信账号',
  v.pipe(
    v.string('企业微信账号应为文本'),
    v.trim(),
    v.regex(/^[A-Za-z0-9_.@-]{1,64}$/, '企业微信账号只能包含字母、数字和 _ - . @，最多 64 位'),
  ),
)
const PersonWecom = v.object({
  /** Whether the organ configured 企业微信 / 政务微信 at all. */
  configured: v.boolean(),
  label: v.string(),
  wecomUserId: v.nullable(v.string()),
})

export const personWecom = contract({ method: 'GET', path: '/api/admin/people/:id/wecom', params: IdParams, response: PersonWecom })
/** Set or clear the account by hand, or look it up by the person's mobile number. */
export const setPersonWecom = contract({
  method: 'POST',
  path: '/api/admin/people/:id/wecom',
  params: IdParams,
  body: v.union(
    [v.strictObject({ wecomUserId: v.nullable(WecomUserId) }), v.strictObject({ lookup: v.literal(true) })],
    '请填写企业微信账号或选择按手机号查找',
  ),
  response: v.object({ ...PersonWecom.entries, found: v.boolean() }),
})

export const ReminderFailure = v.object({
  userId: v.string(),
  name: v.string(),
  kind: v.picklist(REMINDER_KINDS),
  channel: ChannelId,
  channelLabel: v.string(),
  reason: v.string(),
  attempts: v.number(),
  lastAt: v.string(),
  /** The channel that delivered it in the end (a fallback), or null. */
  deliveredBy: v.nullable(v.string()),
  /** A provider gave no answer in time: it may have arrived; it is not sent again. */
  unconfirmed: v.boolean(),
})
export type ReminderFailure = v.InferOutput<typeof ReminderFailure>

/** The latest delivery failures in the organisation, and how many in the last 30 days. */
export const reminderFailures = contract({
  method: 'GET',
  path: '/api/admin/reminders/failures',
  response: v.object({ total: v.number(), failures: v.array(ReminderFailure) }),
})
