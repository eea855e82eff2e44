import type { ReviewGrade } from '../../core/domain/review.ts'
import type { AccountDb, SealedBallot } from './account-db.ts'
import { isQuotaError, StorageFullError } from './errors.ts'

/**
 * The one write path of sealed ballots (docs/review-ballots.md): kept on this phone until the
 * server counts them, then reduced to "已投票". Never in the outbox (a synced row would reach the
 * server with an id and an author), never logged.
 */
export async function keepBallot(db: AccountDb, cycleId: string, grades: Record<string, ReviewGrade>): Promise<void> {
  try {
    await db.transaction('rw', db.review_ballots, async () => {
      const before = await db.review_ballots.get(cycleId)
      if (before?.state === 'sent') throw new Error('already sent')
      await db.review_ballots.put({ cycleId, grades: { ...grades }, state: 'waiting', problem: null })
    })
  } catch (err) {
    if (isQuotaError(err)) throw new StorageFullError()
    throw err
  }
}

/** Counted (or counted before, from this voter's other phone): the grades are erased, "已投票" kept. */
export async function ballotSent(db: AccountDb, cycleId: string): Promise<void> {
  await db.review_ballots.put({ cycleId, grades: null, state: 'sent', problem: null })
}

/** Not counted this time: kept, with the reason the voter reads. */
export async function ballotProblem(db: AccountDb, cycleId: string, problem: string): Promise<void> {
  await db.review_ballots.update(cycleId, { problem })
}

/** Never to be counted (the ballot closed before it arrived): the grades are erased, the reason kept. */
export async function ballotRefused(db: AccountDb, cycleId: string, problem: string): Promise<void> {
  await db.review_ballots.put({ cycleId, grades: null, state: 'waiting', problem })
}

/** The other phone of a voter learns from the server that they voted. */
export async function markVoted(db: AccountDb, cycleId: string): Promise<void> {
  const b = await db.review_ballots.get(cycleId)
  if (!b || b.state !== 'sent') await ballotSent(db, cycleId)
}

/** The server no longer has this voter's vote (restored from a backup taken before it): the phone forgets it, so they may vote again. */
export async function ballotLost(db: AccountDb, cycleId: string): Promise<void> {
  await db.review_ballots.delete(cycleId)
}

export const waitingBallots = async (db: AccountDb): Promise<SealedBallot[]> =>
  (await db.review_ballots.toArray()).filter((b) => b.state === 'waiting' && b.grades !== null)
