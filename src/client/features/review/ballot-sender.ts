import type { AccountDb } from '../../db/account-db.ts'
import { ballotLost, ballotProblem, ballotRefused, ballotSent, keepBallot, markVoted, waitingBallots } from '../../db/ballot-outbox.ts'
import type { ReviewApi } from './review-api.ts'
import { ApiError } from '../../api/http.ts'
import type { ReviewGrade } from '../../../core/domain/review.ts'

/**
 * Sealed ballots leave the phone by their own route (docs/review-ballots.md): cast offline, kept in
 * review_ballots, sent when there is a connection, in any order and as often as needed; the server
 * counts each voter once. A ballot the server will never count (the ballot closed) is erased too.
 */
export async function castBallot(db: AccountDb, api: ReviewApi, cycleId: string, grades: Record<string, ReviewGrade>): Promise<void> {
  await keepBallot(db, cycleId, grades)
  await sendBallots(db, api)
}

/** Sends every ballot waiting on this phone; a network failure leaves them for the next try. True when none is left waiting. */
export async function sendBallots(db: AccountDb, api: ReviewApi): Promise<boolean> {
  let left = false
  for (const b of await waitingBallots(db)) {
    if (!b.grades) continue
    try {
      await api.castBallot(b.cycleId, { grades: b.grades })
      await ballotSent(db, b.cycleId)
    } catch (err) {
      if (!(err instanceof ApiError)) {
        left = true
        continue
      }
      // Refused: ask what the server knows (this voter voted from another phone; the ballot closed).
      const now = await api.myBallot(b.cycleId).catch(() => null)
      if (now?.voted) await ballotSent(db, b.cycleId)
      else if (now?.ballot === 'closed') {
        await ballotRefused(db, b.cycleId, '投票已经结束，这张选票未能计入')
      } else {
        await ballotProblem(db, b.cycleId, err.message)
        left = true
      }
    }
  }
  return !left
}

/**
 * What the server knows of this voter's vote, on opening the page: voted from their other phone
 * (this one then shows 已投票), or a vote this phone saw counted is gone (the server was restored
 * from a backup taken before it) while the ballot is still open: the phone forgets it, and the
 * member may vote again.
 */
export async function checkVoted(db: AccountDb, api: ReviewApi, cycleId: string): Promise<void> {
  const b = await db.review_ballots.get(cycleId)
  if (b?.state === 'waiting' && b.grades) return
  const now = await api.myBallot(cycleId).catch(() => null)
  if (!now) return
  if (now.voted && b?.state !== 'sent') await markVoted(db, cycleId)
  else if (!now.voted && b?.state === 'sent' && now.ballot === 'open') await ballotLost(db, cycleId)
}
