import { describe, expect, it } from 'vitest'
import {
  newMeetingKey,
  parseSignInLink,
  signInClosesAt,
  signInLink,
  signInOpensAt,
  signInPhase,
  signToken,
  verifySignIn,
  WINDOW_MS,
  windowOf,
  type SignInClaim,
} from './sign-in-token.ts'

const key = newMeetingKey()
const meeting = { id: '01a22031-4d76-7677-ae1b-b63b19145d18', startsAt: '2026-11-28T06:00:00.000Z', durationMinutes: 90 }
const member = '01a22031-4d77-778e-a4bf-109ceedd2fe4'
const other = '01a22031-4d77-778e-a4bf-162c0724a27a'
const at = Date.parse('2026-11-28T06:10:03Z')

async function claim(over: Partial<SignInClaim> = {}, signingKey = key, meetingId = meeting.id): Promise<SignInClaim> {
  const window = windowOf(at)
  return {
    meetingId,
    memberId: member,
    window,
    token: await signToken(signingKey, meetingId, window),
    scannedAt: new Date(at + 2000).toISOString(),
    ...over,
  }
}

describe('sign-in tokens', () => {
  it('accepts a code scanned while it was shown, however late it reaches the server', async () => {
    expect(await verifySignIn(await claim(), key, meeting, member)).toBeNull()
  })

  it('refuses a code scanned long after its window (a forwarded screenshot)', async () => {
    expect(await verifySignIn(await claim({ scannedAt: new Date(at + 5 * 60_000).toISOString() }), key, meeting, member)).toBe('expired')
    expect(await verifySignIn(await claim({ scannedAt: 'yesterday' }), key, meeting, member)).toBe('expired')
  })

  it('refuses a code of another meeting, or signed with another key', async () => {
    const otherMeeting = '01a22031-4d76-7677-ae1b-b63b19145d19'
    expect(await verifySignIn(await claim({}, key, otherMeeting), key, meeting, member)).toBe('wrong_meeting')
    // A token for meeting B presented as meeting A's.
    expect(await verifySignIn({ ...(await claim({}, key, otherMeeting)), meetingId: meeting.id }, key, meeting, member)).toBe('bad_token')
    expect(await verifySignIn(await claim({}, newMeetingKey()), key, meeting, member)).toBe('bad_token')
  })

  it('refuses a tampered token or window', async () => {
    const c = await claim()
    const flipped = (c.token[0] === 'A' ? 'B' : 'A') + c.token.slice(1)
    expect(await verifySignIn({ ...c, token: flipped }, key, meeting, member)).toBe('bad_token')
    expect(await verifySignIn({ ...c, window: c.window + 1 }, key, meeting, member)).toBe('bad_token')
  })

  it('refuses a sign-in replayed by another member for this one', async () => {
    expect(await verifySignIn(await claim(), key, meeting, other)).toBe('wrong_member')
  })

  it('refuses valid codes far outside the meeting time', async () => {
    const next = Date.parse('2026-11-29T06:10:00Z')
    const window = windowOf(next)
    const c = {
      meetingId: meeting.id,
      memberId: member,
      window,
      token: await signToken(key, meeting.id, window),
      scannedAt: new Date(next).toISOString(),
    }
    expect(await verifySignIn(c, key, meeting, member)).toBe('outside_meeting')
  })

  it('round-trips through the link the QR code shows', async () => {
    const c = await claim()
    const link = signInLink('https://dj.example.cn', c.meetingId, c.window, c.token)
    expect(parseSignInLink(link)).toEqual({ meetingId: c.meetingId, window: c.window, token: c.token })
    expect(parseSignInLink('https://evil.example/x')).toBeNull()
    expect(WINDOW_MS).toBeLessThanOrEqual(15_000)
  })

  it('knows when sign-in opens and closes: an hour before the start to an hour after the planned end', () => {
    expect(new Date(signInOpensAt(meeting)).toISOString()).toBe('2026-11-28T05:00:00.000Z')
    expect(new Date(signInClosesAt(meeting)).toISOString()).toBe('2026-11-28T08:30:00.000Z')
    expect(signInPhase(meeting, Date.parse('2026-11-28T04:59:59.999Z'))).toBe('before')
    expect(signInPhase(meeting, Date.parse('2026-11-28T05:00:00Z'))).toBe('open')
    expect(signInPhase(meeting, Date.parse('2026-11-28T08:30:09Z'))).toBe('open')
    expect(signInPhase(meeting, Date.parse('2026-11-28T08:30:10Z'))).toBe('after')
  })

  it('tells the member their own or the organiser’s clock may be wrong when a code is refused as expired', async () => {
    const { REFUSAL_TEXT } = await import('./sign-in-token.ts')
    expect(REFUSAL_TEXT.expired).toContain('组织者或您的手机时间不准')
  })
})
