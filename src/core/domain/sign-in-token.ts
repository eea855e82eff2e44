/**
 * Meeting sign-in tokens. The organiser's phone shows a QR code that changes every WINDOW_MS;
 * it carries HMAC-SHA256(meeting key, "<meetingId>.<window>") truncated to 128 bits. The key is
 * made on the organiser's phone when the meeting is created and is held only by the devices of
 * those who manage the meeting and by the server. Neither phone needs a network: the member's
 * phone keeps the token with the moment it was scanned, and the server checks both when the
 * sign-in arrives, however late.
 */

export const WINDOW_MS = 10_000
/** A scan must happen within this long of the window it carries (codes copied later are refused). */
export const SCAN_GRACE_MS = 30_000
/** Sign-in is open from an hour before the meeting until an hour after its planned end. */
export const OPEN_BEFORE_MS = 60 * 60_000
export const OPEN_AFTER_MS = 60 * 60_000

const enc = new TextEncoder()
const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const fromB64url = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
  const out = new Uint8Array(new ArrayBuffer(bin.length))
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** A new random meeting key (256 bits, base64url). */
export function newMeetingKey(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(32)))
}

export const windowOf = (at: number): number => Math.floor(at / WINDOW_MS)

async function hmac(key: string, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', fromB64url(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(message)))
}

export async function signToken(key: string, meetingId: string, window: number): Promise<string> {
  return b64url((await hmac(key, `${meetingId}.${window}`)).slice(0, 16))
}

/** What the QR code holds: a link that also opens in the phone's own camera app. */
export function signInLink(origin: string, meetingId: string, window: number, token: string): string {
  return `${origin}/s/${meetingId}/${window}/${token}`
}

export function parseSignInLink(text: string): { meetingId: string; window: number; token: string } | null {
  const m = /\/s\/([0-9a-f-]{36})\/(\d{1,12})\/([A-Za-z0-9_-]{22})(?:[?#].*)?$/.exec(text.trim())
  return m ? { meetingId: m[1] as string, window: Number(m[2]), token: m[3] as string } : null
}

export interface SignInClaim {
  meetingId: string
  memberId: string
  window: number
  token: string
  /** When the member's phone scanned the code (its own clock). */
  scannedAt: string
}

export interface MeetingWindow {
  id: string
  startsAt: string
  durationMinutes: number
}

export type SignInRefusal = 'wrong_member' | 'wrong_meeting' | 'bad_token' | 'expired' | 'outside_meeting'

export const REFUSAL_TEXT: Record<SignInRefusal, string> = {
  wrong_member: '只能为本人签到',
  wrong_meeting: '签到码不属于这次会议',
  bad_token: '签到码无效，请重新扫描会场的签到码',
  expired:
    '签到码已过期：请扫描会场屏幕上正在显示的签到码，不要使用截图或转发的图片。如果扫的正是会场上的签到码，可能是组织者或您的手机时间不准，请把手机设为“自动设置时间”后再扫',
  outside_meeting: '不在会议签到时间内（会前1小时至会后1小时）',
}

/** The first and the last moment a sign-in code of the meeting is accepted (its window's start, Unix ms). */
export function signInOpensAt(meeting: Pick<MeetingWindow, 'startsAt'>): number {
  return Date.parse(meeting.startsAt) - OPEN_BEFORE_MS
}
export function signInClosesAt(meeting: Omit<MeetingWindow, 'id'>): number {
  return Date.parse(meeting.startsAt) + meeting.durationMinutes * 60_000 + OPEN_AFTER_MS
}

export type SignInPhase = 'before' | 'open' | 'after'

/** Whether a code of the window that contains `at` is accepted: the same test the server makes. */
export function signInPhase(meeting: Omit<MeetingWindow, 'id'>, at: number): SignInPhase {
  const windowStart = windowOf(at) * WINDOW_MS
  if (windowStart < signInOpensAt(meeting)) return 'before'
  if (windowStart > signInClosesAt(meeting)) return 'after'
  return 'open'
}

function sameBytes(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Why a sign-in must be refused, or null when it is valid. */
export async function verifySignIn(
  claim: SignInClaim,
  key: string,
  meeting: MeetingWindow,
  viewerId: string,
): Promise<SignInRefusal | null> {
  if (claim.memberId !== viewerId) return 'wrong_member'
  if (claim.meetingId !== meeting.id) return 'wrong_meeting'
  if (!sameBytes(await signToken(key, meeting.id, claim.window), claim.token)) return 'bad_token'
  const scanned = Date.parse(claim.scannedAt)
  const windowStart = claim.window * WINDOW_MS
  if (Number.isNaN(scanned) || scanned < windowStart - SCAN_GRACE_MS || scanned > windowStart + WINDOW_MS + SCAN_GRACE_MS) return 'expired'
  if (signInPhase(meeting, windowStart) !== 'open') return 'outside_meeting'
  return null
}
