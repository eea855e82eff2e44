import type { Channel, ChannelOutcome } from '../../../../core/domain/reminder-channels.ts'
import type { Reminder, ReminderKind } from '../../../../core/domain/reminders.ts'

/** Who a reminder is for, with the addresses the channels use (never logged). */
export interface Recipient {
  userId: string
  name: string
  /** 11-digit mainland mobile number, or null (none, or a removed person). */
  phone: string | null
  /** 企业微信 / 政务微信 user id, when an administrator set it or it was found by the phone. */
  wecomUserId: string | null
}

/** One way of reaching a member outside the app. */
export interface ChannelAdapter {
  readonly id: Channel
  /** The name members and the administrator read (企业微信 or 政务微信 for the WeCom channel). */
  readonly label: string
  /** Whether the member has an address here for this kind (checked before a reminder is claimed). */
  reachable(to: Recipient, kind: ReminderKind): boolean
  send(to: Recipient, reminder: Reminder): Promise<ChannelOutcome>
}

/** An 11-digit mainland mobile number, or null. */
export const mobileOf = (phone: string | null): string | null => (phone && /^1\d{10}$/.test(phone) ? phone : null)

/** A provider's error code, only if it looks like one (never echo arbitrary text, which could hold a number or key). */
export const codeOf = (x: unknown): string =>
  (typeof x === 'string' || typeof x === 'number') && /^[\w.-]{1,64}$/.test(String(x)) ? String(x) : ''

/**
 * Whether a network error came after the request may have reached the provider (a timeout, a
 * dropped connection): the message may have gone out. A refused connection or an unknown host
 * never reached it. Only the error's kind is read; its message (which can quote the request) is
 * never kept.
 */
export function maybeSent(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown
    code?: unknown
    message?: unknown
    cause?: { code?: unknown }
  }
  const text = [e.name, e.code, e.message, e.cause?.code].map((x) => String(x ?? '')).join(' ')
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|CERT_|certificate/i.test(text)) return false
  return /timeout|ECONNRESET|socket hang up|EPIPE|aborted/i.test(text)
}

export const UNCERTAIN = '未在时限内答复，无法确认是否已送达（为免重复，不再重发或改用其他方式）'
