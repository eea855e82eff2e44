import { chinaDay } from './china-time.ts'

/**
 * 谈心谈话 coverage for a year: every two members of the branch committee talk at least once a year,
 * and every committee member with every member of the branch (the branch work regulations'
 * 会前谈心谈话; domain guide, "heart-to-heart talk"). What is shown is only whether a pair has
 * talked, never what was said: a talk's notes reach only the two who talked.
 */

/** A person of the branch as the coverage needs them. */
export interface TalkPerson {
  id: string
  name: string
  role: string
  committee?: boolean
  removed?: boolean
}

/** A talk as the coverage needs it: who talked, when, and whether it still stands. */
export interface HeldTalk {
  type: string
  organiserId: string
  talkWithId: string | null
  startsAt: string
  deleted?: boolean
}

/** One committee member's year: with whom they have talked and with whom not yet (by name). */
export interface CommitteeTalks {
  id: string
  name: string
  talkedWith: TalkPerson[]
  notYet: TalkPerson[]
}

export interface TalkCoverage {
  /** Pairs the rules ask for (each counted once). */
  required: number
  /** Of those, the pairs that have talked this year. */
  held: number
  /** Per committee member (the secretary first, then by name), the others of the branch. */
  committee: CommitteeTalks[]
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`)

/** On the branch committee: its 委员 and the secretary (as for 支部委员会). */
export const onCommittee = (p: Pick<TalkPerson, 'role' | 'committee'>): boolean => p.committee === true || p.role === 'secretary'

/**
 * The coverage of `year` (China time) for a branch's people, from its 谈心谈话 meetings: a talk counts
 * once it has started (a talk planned for next week has not happened), whoever recorded it.
 */
export function talkCoverage(people: readonly TalkPerson[], talks: readonly HeldTalk[], year: number, now: Date): TalkCoverage {
  const members = people.filter((p) => !p.removed)
  const talked = new Set<string>()
  for (const t of talks) {
    if (t.type !== 'heart_talk' || t.deleted || !t.talkWithId) continue
    const at = new Date(t.startsAt)
    if (at.getTime() > now.getTime() || chinaDay(at).year !== year) continue
    talked.add(pairKey(t.organiserId, t.talkWithId))
  }
  const byName = (a: TalkPerson, b: TalkPerson) => a.name.localeCompare(b.name, 'zh-CN')
  const committee = members
    .filter(onCommittee)
    .sort((a, b) => Number(b.role === 'secretary') - Number(a.role === 'secretary') || byName(a, b))
  const required = new Set<string>()
  const rows = committee.map((c) => {
    const others = members.filter((p) => p.id !== c.id).sort(byName)
    for (const p of others) required.add(pairKey(c.id, p.id))
    return {
      id: c.id,
      name: c.name,
      talkedWith: others.filter((p) => talked.has(pairKey(c.id, p.id))),
      notYet: others.filter((p) => !talked.has(pairKey(c.id, p.id))),
    }
  })
  return { required: required.size, held: [...required].filter((k) => talked.has(k)).length, committee: rows }
}
