import type { Kysely } from 'kysely'
import type { Database } from '../../../src/server/db/schema.ts'
import type { AccountDb } from '../../../src/client/db/account-db.ts'
import { REVIEW_GRADES, type GradeCounts, type ReviewGrade } from '../../../src/core/domain/review.ts'
import { readBallotBox } from '../../../src/server/repositories/review-ballots.ts'

/**
 * The simulation's check of the sealed ballots, once healed: whoever's phone holds "已投票" is a
 * voter and nobody else is; no phone still holds a ballot's grades after the server counted one of
 * that person's; and the counts are exactly one ballot per voter, each one a ballot that person
 * really cast on one of their phones (a person with several phones: one of theirs).
 */
export async function ballotProblems(
  db: Kysely<Database>,
  cycleId: string,
  devices: { name: string; user: { id: string }; db: AccountDb }[],
  cast: Map<string, Record<string, ReviewGrade>[]>,
): Promise<string[]> {
  const problems: string[] = []
  const box = await readBallotBox(db, cycleId)
  if (!box) return ['the ballot box is missing']
  const voters = new Set(box.voters)
  if (voters.size !== box.voters.length) problems.push('a voter is listed twice')
  for (const d of devices) {
    const b = await d.db.review_ballots.get(cycleId)
    if (b?.state === 'sent' && !voters.has(d.user.id)) problems.push(`${d.name}: says 已投票 but the server has no vote`)
    if (b && b.grades && voters.has(d.user.id)) problems.push(`${d.name}: still holds a ballot's grades after its person voted`)
  }
  for (const v of voters) if (!cast.has(v)) problems.push(`a vote counted for someone who never cast one`)
  // The counts: one ballot per voter, each one of theirs (tried over every choice for people with several).
  const choices = [...voters].map((v) => cast.get(v) ?? [])
  const subjects = Object.keys(box.counts).sort()
  const key = (c: Record<string, GradeCounts>) => JSON.stringify(subjects.map((s) => REVIEW_GRADES.map((g) => c[s]?.[g] ?? 0)))
  const want = key(box.counts)
  const sums = (picked: Record<string, ReviewGrade>[]) => {
    const out: Record<string, GradeCounts> = {}
    for (const s of subjects) out[s] = { excellent: 0, qualified: 0, basic: 0, unqualified: 0 }
    for (const b of picked) for (const s of subjects) if (b[s]) (out[s] as GradeCounts)[b[s]] += 1
    return out
  }
  let found = false
  const walk = (i: number, picked: Record<string, ReviewGrade>[]) => {
    if (found) return
    if (i === choices.length) {
      found = key(sums(picked)) === want
      return
    }
    for (const b of choices[i] ?? []) walk(i + 1, [...picked, b])
  }
  walk(0, [])
  if (!found) problems.push(`the counts ${want} are not one cast ballot per voter (${voters.size} voters)`)
  return problems
}
