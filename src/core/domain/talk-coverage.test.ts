import { describe, expect, it } from 'vitest'
import { talkCoverage, type HeldTalk, type TalkPerson } from './talk-coverage.ts'

const people: TalkPerson[] = [
  { id: 's', name: '书记', role: 'secretary' },
  { id: 'c', name: '委员', role: 'member', committee: true },
  { id: 'm1', name: '甲', role: 'member' },
  { id: 'm2', name: '乙', role: 'member' },
  { id: 'gone', name: '丙', role: 'member', removed: true },
]
const now = new Date('2026-11-30T04:00:00Z')
const talk = (organiserId: string, talkWithId: string, startsAt = '2026-03-01T02:00:00Z', extra: Partial<HeldTalk> = {}): HeldTalk => ({
  type: 'heart_talk',
  organiserId,
  talkWithId,
  startsAt,
  ...extra,
})

describe('talkCoverage', () => {
  it('asks for every two committee members and every committee member with every member, each pair once', () => {
    const c = talkCoverage(people, [], 2026, now)
    // s–c, s–m1, s–m2, c–m1, c–m2 (m1–m2 is not required; the removed member not at all)
    expect(c.required).toBe(5)
    expect(c.held).toBe(0)
    expect(c.committee.map((r) => r.id)).toEqual(['s', 'c'])
    expect(c.committee[0]?.notYet.map((p) => p.id).sort()).toEqual(['c', 'm1', 'm2'])
    expect(c.committee[1]?.notYet.map((p) => p.id).sort()).toEqual(['m1', 'm2', 's'])
  })

  it('a talk counts for the pair whichever of the two recorded it', () => {
    const c = talkCoverage(people, [talk('m1', 's'), talk('c', 's')], 2026, now)
    expect(c.held).toBe(2)
    const s = c.committee.find((r) => r.id === 's')
    expect(s?.talkedWith.map((p) => p.id).sort()).toEqual(['c', 'm1'])
    expect(s?.notYet.map((p) => p.id)).toEqual(['m2'])
    expect(c.committee.find((r) => r.id === 'c')?.talkedWith.map((p) => p.id)).toEqual(['s'])
  })

  it('counts only this year (China time), held talks, not deleted ones, and only 谈心谈话', () => {
    const c = talkCoverage(
      people,
      [
        talk('s', 'm1', '2025-12-31T15:59:00Z'), // 2025-12-31 23:59 in China: last year
        talk('s', 'm2', '2025-12-31T16:00:00Z'), // 2026-01-01 00:00 in China: this year
        talk('c', 'm1', '2026-12-01T02:00:00Z'), // planned, not yet held
        talk('c', 'm2', '2026-05-01T02:00:00Z', { deleted: true }),
        talk('s', 'c', '2026-05-01T02:00:00Z', { type: 'branch_committee' }),
      ],
      2026,
      now,
    )
    expect(c.held).toBe(1)
    expect(c.committee.find((r) => r.id === 's')?.talkedWith.map((p) => p.id)).toEqual(['m2'])
  })

  it('a branch without a committee asks for nothing (and says so by an empty list)', () => {
    const c = talkCoverage([{ id: 'm', name: '甲', role: 'member' }], [], 2026, now)
    expect(c).toEqual({ required: 0, held: 0, committee: [] })
  })
})
