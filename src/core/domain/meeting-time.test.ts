import { describe, expect, it } from 'vitest'
import { defaultMeetingStart } from './meeting-time.ts'
import { signInPhase } from './sign-in-token.ts'

const china = (s: string) => new Date(`${s}+08:00`)

describe('a new meeting’s default start', () => {
  it.each([
    ['2026-11-30T09:05:00', '2026-11-30', '09:00'],
    ['2026-11-30T09:11:00', '2026-11-30', '09:30'],
    ['2026-11-30T14:40:00', '2026-11-30', '14:30'],
    ['2026-11-30T14:41:00', '2026-11-30', '15:00'],
    ['2026-11-30T17:55:00', '2026-11-30', '18:00'],
    ['2026-11-30T06:30:00', '2026-11-30', '09:00'],
    ['2026-11-30T20:15:00', '2026-12-01', '09:00'],
    ['2026-12-31T23:59:00', '2027-01-01', '09:00'],
  ])('at %s it is %s %s', (now, date, time) => {
    expect(defaultMeetingStart(china(now))).toEqual({ date, time })
  })

  it('in working hours the sign-in of the default meeting is open at once', () => {
    for (let m = 8 * 60; m < 18 * 60; m += 7) {
      const now = new Date(Date.UTC(2026, 10, 29, 16, 0) + m * 60_000) // midnight in China + m minutes
      const d = defaultMeetingStart(now)
      expect(signInPhase({ startsAt: new Date(`${d.date}T${d.time}:00+08:00`).toISOString(), durationMinutes: 90 }, now.getTime())).toBe(
        'open',
      )
    }
  })
})
